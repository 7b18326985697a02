#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: started in a temporary
# folder on a port of its own, stopped and removed afterwards. PostgreSQL
# refuses to run as root, so as root the server runs as the postgres user.
#
# PG_KEEP_DIR=folder keeps the server's data there instead, for the next run
# (the benchmark's generated articles): the folder is made on the first run,
# reused after, and only the server is stopped.
set -euo pipefail

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found (set PG_BIN or install postgresql)." >&2
  exit 1
fi

if [ -n "${PG_KEEP_DIR:-}" ]; then
  mkdir -p "$PG_KEEP_DIR"
  workdir=$(cd "$PG_KEEP_DIR" && pwd)
else
  workdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
fi
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$workdir"
  as_server=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  if [ -n "${PG_KEEP_DIR:-}" ]; then
    "${as_server[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m fast stop >/dev/null 2>&1 || true
  else
    "${as_server[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
  fi
}
trap stop EXIT

fresh=1
if [ -f "$workdir/data/PG_VERSION" ]; then
  fresh=0
else
  "${as_server[@]}" "$pg_bin/initdb" -D "$workdir/data" -U portal --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi
# Durability is not needed for a test server; speed is.
"${as_server[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_OPTIONS:-}" \
  start >/dev/null
if [ "$fresh" = 1 ]; then
  "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U portal portal
fi

echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://portal@127.0.0.1:$port/portal"
"$@"
