#!/usr/bin/env bash
# Run a test command on SQLite and on PostgreSQL at the same time: the two suites
# share nothing (each has its own Redis, database, media, static and cache folders),
# so on two cores they take little longer than one. The SQLite run is shown as it
# goes, the PostgreSQL run when it ends; fails if either fails.
set -uo pipefail

log=$(mktemp /tmp/portal-tests-postgresql.XXXXXX)
trap 'rm -f "$log"' EXIT

# Chromium's tests run once: what they check is drawn by the browser, and the server code
# under them runs on both databases without it. The readers' run on SQLite, the newsroom's
# (marked `newsroom`; tests/browser/conftest.py skips them on SQLite) on PostgreSQL.
tests/with-postgres.sh tests/with-redis.sh "$@" -m "not browser or newsroom" >"$log" 2>&1 &
postgres=$!

echo "== Tests on SQLite (PostgreSQL alongside) =="
tests/with-redis.sh "$@"
sqlite_status=$?

wait "$postgres"
postgres_status=$?
echo "== Tests on PostgreSQL =="
cat "$log"

[ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ]
