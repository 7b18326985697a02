#!/usr/bin/env bash
# Run a command with a throwaway Redis server: started in a temporary folder on a
# port of its own, without persistence, stopped and removed afterwards. Its address
# is in TEST_REDIS_URL (the cache tests use it). As root the server runs as the
# redis user.
set -euo pipefail

redis_server=${REDIS_SERVER:-$(command -v redis-server || true)}
if [ -z "$redis_server" ]; then
  echo "redis-server not found (set REDIS_SERVER or install redis-server)." >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/portal-redis.XXXXXX)
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown redis: "$workdir" 2>/dev/null || chown nobody: "$workdir"
  as_server=(runuser -u "$(stat -c %U "$workdir")" --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

server=""
stop() {
  if [ -n "$server" ]; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap stop EXIT

"${as_server[@]}" "$redis_server" --port "$port" --bind 127.0.0.1 --dir "$workdir" \
  --logfile "$workdir/redis.log" --save "" --appendonly no &
server=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.1
done

echo "Redis $("$redis_server" --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
