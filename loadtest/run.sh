#!/usr/bin/env bash
# `make loadtest`: the production path under load. nginx with deploy/nginx.conf in front
# of gunicorn with portal/gunicorn.conf.py (`make serve`, DJANGO_DEBUG=0) on its Unix
# socket, then for 60 s at once:
#   - readers: wrk, 64 connections, the public pages and the view counter's beacon
#     (loadtest/mixed.lua);
#   - junk: wrk, 2 connections posting 100 KB to /tin-tuc/ without a CSRF cookie
#     (loadtest/junk.lua), which the portal refuses with 403;
#   - an editor publishing an article every 10 s through the admin (loadtest/newsroom.py);
#   - gunicorn recycling its workers (max_requests) as it does in production.
# Uses DATABASE_URL when it is set, else a new SQLite database in a temporary folder, and
# Redis when REDIS_URL is set. Reports reader latency and throughput against /healthz's,
# renders per page after each change (single flight), worker recycles, and fails on any
# 5xx answer, socket error or timeout (30 s: nginx answers 504 after 35), junk answered
# other than 403, or an article not visible right after publishing. LOADTEST_KEEP=1 keeps the folder with the logs.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${LOADTEST_DURATION:-60}
connections=${LOADTEST_CONNECTIONS:-64}
workdir=$(mktemp -d /tmp/portal-loadtest.XXXXXX)
chmod 755 "$workdir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="loadtest-$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT="$workdir/media"
export DJANGO_CACHE_DIR="$workdir/cache"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$workdir/db.sqlite3}
export GUNICORN_BIND="unix:$workdir/gunicorn.sock"
database=${DATABASE_URL%%:*}
[ -n "${REDIS_URL:-}" ] && database="$database + Redis"

server=""
nginx_started=""
stop() {
  if [ -n "$nginx_started" ]; then nginx -p "$workdir" -c "$workdir/nginx.conf" -s stop 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  [ -n "${LOADTEST_KEEP:-}" ] || rm -rf "$workdir"
}
trap stop EXIT

echo "== Load test on $database through nginx: $connections readers and 2 junk posters for ${duration}s, one editor publishing =="
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_demo >/dev/null
DJANGO_SUPERUSER_PASSWORD=$password .venv/bin/python manage.py createsuperuser --noinput \
  --username loadtest --email loadtest@example.org >/dev/null
article_id=$(.venv/bin/python manage.py shell -v 0 -c \
  'from news.models import Article; print(Article.objects.published().get(slug__startswith="tong-ket-cong-tac-ho-tro").pk)')
mkdir -p "$DJANGO_MEDIA_ROOT"

# Its own process group, so the server and its workers stop together.
setsid make --no-print-directory serve >"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 240); do
  [ -S "$workdir/gunicorn.sock" ] && break
  sleep 0.5
done

# The shipped file as it is, wrapped in what a standalone nginx needs (as root, its
# workers run as root too: the socket is for the portal's user and group).
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SERVER_NAME@|127.0.0.1|" \
    -e "s|@UPSTREAM@|$GUNICORN_BIND|" -e "s|@MEDIA_ROOT@|$DJANGO_MEDIA_ROOT|" \
    deploy/nginx.conf >"$workdir/site.conf"
cat >"$workdir/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
daemon on;
worker_processes 1;
pid $workdir/nginx.pid;
error_log $workdir/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $workdir/client; proxy_temp_path $workdir/proxy;
  fastcgi_temp_path $workdir/fastcgi; uwsgi_temp_path $workdir/uwsgi; scgi_temp_path $workdir/scgi;
  include $workdir/site.conf;
}
CONF
nginx -p "$workdir" -c "$workdir/nginx.conf"
nginx_started=1
base="http://127.0.0.1:$port"
for _ in $(seq 60); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$base/readyz" >/dev/null || { tail -n 30 "$workdir/server.log"; exit 1; }
echo "gunicorn: $(grep -c 'Booting worker' "$workdir/server.log") workers on $GUNICORN_BIND, nginx on $base"

# /healthz alone, the ceiling of the stack; then every page once per worker's cache.
wrk -t2 -c"$connections" -d10s --timeout 30s --latency "$base/healthz" >"$workdir/healthz.txt"
wrk -t2 -c16 -d5s -s loadtest/mixed.lua "$base/" -- "$article_id" >/dev/null
start_line=$(wc -l <"$workdir/server.log")

# A request nginx gives up on (35 s) is a 504, counted as a 5xx; wrk waits a little less.
wrk -t4 -c"$connections" -d"${duration}s" --timeout 30s --latency -s loadtest/mixed.lua \
  "$base/" -- "$article_id" >"$workdir/wrk.txt" &
readers=$!
wrk -t1 -c2 -d"${duration}s" --timeout 30s -s loadtest/junk.lua "$base/" >"$workdir/junk.txt" &
junk=$!
newsroom_status=0
.venv/bin/python loadtest/newsroom.py "$base" --username loadtest --password "$password" \
  --duration "$duration" --interval 10 >"$workdir/newsroom.txt" || newsroom_status=$?
wait "$readers" "$junk"
cat "$workdir/wrk.txt" "$workdir/junk.txt" "$workdir/newsroom.txt"

recycles=$(tail -n +"$start_line" "$workdir/server.log" | grep -c 'Autorestarting worker' || true)
changes=$(sed -n 's/.*(\([0-9]*\) changes).*/\1/p' "$workdir/newsroom.txt")
# Renders: the pages the access log marks MISS (rendered and stored) during the run.
tail -n +"$start_line" "$workdir/server.log" | .venv/bin/python -c '
import collections, re, sys
changes, processes = int(sys.argv[1] or 0), int(sys.argv[2])
renders = collections.Counter(
    match[1] for match in re.finditer(r"\"GET (\S+) HTTP/[0-9.]+\" 200 .* MISS$", sys.stdin.read(), re.M)
)
if not changes:
    sys.exit("no change was made")
print(f"renders after {changes} changes, {processes} worker processes at a time:")
for path, count in renders.most_common():
    print(f"  {count / changes:5.2f} a change ({count / changes / processes:4.2f} a process)  {path[:70]}")
' "$changes" "$(head -n "$start_line" "$workdir/server.log" | grep -c 'Booting worker')"

healthz_rps=$(sed -n 's/^Requests\/sec: *//p' "$workdir/healthz.txt")
readers_rps=$(sed -n 's/^Requests\/sec: *//p' "$workdir/wrk.txt")
server_errors=$(sed -n 's/^5xx responses: //p' "$workdir/wrk.txt")
socket_errors=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$workdir/wrk.txt" "$workdir/junk.txt")
junk_unexpected=$(sed -n 's/^junk answered other than 403: //p' "$workdir/junk.txt")
junk_requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$workdir/junk.txt")
proxy_errors=$(grep -c 'upstream' "$workdir/nginx-error.log" 2>/dev/null || true)
percentiles() { sed -n 's/^ *\(50\|99\)% *\([0-9.]*[mu]*s\)/\2/p' "$1" | paste -sd/; }
echo "== /healthz alone: $healthz_rps req/s, p50/p99 $(percentiles "$workdir/healthz.txt"); readers: $readers_rps req/s ($(python3 -c "print(f'{$readers_rps / $healthz_rps:.2f}')") of /healthz), p50/p99 $(percentiles "$workdir/wrk.txt")"
echo "== 5xx: ${server_errors:-?}, socket errors: ${socket_errors:-none}, junk posts: ${junk_requests:-?} (${junk_unexpected:-?} not 403), nginx upstream errors: $proxy_errors, worker recycles: $recycles, newsroom: $([ "$newsroom_status" = 0 ] && echo ok || echo FAILED) =="
[ "${server_errors:-1}" = 0 ] && [ -z "$socket_errors" ] && [ "${junk_unexpected:-1}" = 0 ] \
  && [ "$proxy_errors" = 0 ] && [ "$newsroom_status" = 0 ]
