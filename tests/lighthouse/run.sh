#!/usr/bin/env bash
# `make lighthouse`: Lighthouse (mobile) on the pages readers land on, served as in
# production: gunicorn (`make serve`, DJANGO_DEBUG=0) behind nginx with
# deploy/nginx.conf (compression, media from disk), the demo content with
# camera-size photos (tests/lighthouse/prepare.py), Debian's Chromium. Writes the
# scores to docs/lighthouse.md and the full reports to var/lighthouse/; fails if a
# category of a page scores under 100.
set -euo pipefail
cd "$(dirname "$0")/../.."

workdir=$(mktemp -d /tmp/portal-lighthouse.XXXXXX)
chmod 755 "$workdir"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
port=$(free_port)

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="lighthouse-$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT="$workdir/media"
export DJANGO_SITE_URL="http://127.0.0.1:$port"
export DATABASE_URL="sqlite:///$workdir/db.sqlite3"
export GUNICORN_BIND="127.0.0.1:$app_port"

server=""
nginx_started=""
stop() {
  if [ -n "$nginx_started" ]; then nginx -p "$workdir" -c "$workdir/nginx.conf" -s stop 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap stop EXIT

.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py load_demo >/dev/null
mapfile -t pages < <(.venv/bin/python tests/lighthouse/prepare.py)
mkdir -p "$DJANGO_MEDIA_ROOT" && chmod -R a+rX "$workdir/media"

setsid make --no-print-directory serve >"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 240); do
  curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

# The production file as it is, wrapped in what a standalone nginx needs.
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SERVER_NAME@|127.0.0.1|" \
    -e "s|@UPSTREAM@|127.0.0.1:$app_port|" -e "s|@MEDIA_ROOT@|$workdir/media|" \
    deploy/nginx.conf >"$workdir/site.conf"
cat >"$workdir/nginx.conf" <<CONF
daemon on;
pid $workdir/nginx.pid;
error_log $workdir/nginx-error.log;
events { worker_connections 256; }
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
curl -fs "$base/readyz" >/dev/null || { tail -n 30 "$workdir/server.log"; exit 1; }

# The full reports stay in var/lighthouse/ (open them in Chromium's Lighthouse viewer).
mkdir -p var/lighthouse
rm -f var/lighthouse/report-*.json
reports=()
for index in "${!pages[@]}"; do
  path=${pages[$index]}
  # Once to fill the page cache, as a reader's visit finds it; then the audit.
  curl -fs -o /dev/null "$base$path"
  report="var/lighthouse/report-$index.json"
  # Chromium now and then loses the trace's start (NO_NAVSTART): try again.
  for attempt in 1 2 3; do
    tests/lighthouse/node_modules/.bin/lighthouse "$base$path" --quiet --output=json \
      --output-path="$report" --form-factor=mobile \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-path=/usr/bin/chromium \
      --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage" && break
    [ "$attempt" = 3 ] && exit 1
  done
  reports+=("$report")
done

.venv/bin/python tests/lighthouse/report.py --write docs/lighthouse.md "${reports[@]}"
