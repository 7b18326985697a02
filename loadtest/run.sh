#!/usr/bin/env bash
# `make loadtest`: mixed public traffic (wrk, 64 connections, 60 s) against the
# production server (`make serve`: gunicorn, DJANGO_DEBUG=0) on 127.0.0.1, while
# loadtest/newsroom.py publishes and edits through the admin. Uses DATABASE_URL
# when it is set, else a new SQLite database in a temporary folder. Fails on any
# 5xx answer, any timeout, or an article not visible right after publishing.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${LOADTEST_DURATION:-60}
connections=${LOADTEST_CONNECTIONS:-64}
workdir=$(mktemp -d /tmp/portal-loadtest.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="loadtest-$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT="$workdir/media"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$workdir/db.sqlite3}
database=${DATABASE_URL%%:*}

server=""
stop() {
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap stop EXIT

echo "== Load test on $database: $connections connections for ${duration}s, one editor publishing =="
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_demo >/dev/null
DJANGO_SUPERUSER_PASSWORD=$password .venv/bin/python manage.py createsuperuser --noinput \
  --username loadtest --email loadtest@example.org >/dev/null

# Its own process group, so the server and its workers stop together.
GUNICORN_BIND="127.0.0.1:$port" setsid make --no-print-directory serve >"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 240); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { tail -n 30 "$workdir/server.log"; exit 1; }
echo "gunicorn: $(grep -c 'Booting worker' "$workdir/server.log") workers on 127.0.0.1:$port"

wrk -t4 -c"$connections" -d"${duration}s" --timeout 5s --latency -s loadtest/mixed.lua \
  "http://127.0.0.1:$port/" >"$workdir/wrk.txt" &
wrk_pid=$!
newsroom_status=0
.venv/bin/python loadtest/newsroom.py "http://127.0.0.1:$port" --username loadtest \
  --password "$password" --duration "$duration" || newsroom_status=$?
wait "$wrk_pid"
cat "$workdir/wrk.txt"

server_errors=$(sed -n 's/^5xx responses: //p' "$workdir/wrk.txt")
timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' "$workdir/wrk.txt")
echo "== 5xx: ${server_errors:-?}, timeouts: ${timeouts:-0}, newsroom: $([ "$newsroom_status" = 0 ] && echo ok || echo FAILED) =="
[ "${server_errors:-1}" = 0 ] && [ "${timeouts:-0}" = 0 ] && [ "$newsroom_status" = 0 ]
