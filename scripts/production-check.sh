#!/usr/bin/env bash
# The README's "Production" recipe run as written, on a scratch database: migrate, cache table,
# reference data, collectstatic, then the production server (granian, docs/decisions/0011);
# /readyz must answer 200 and a hashed static file must come back compressed. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
work=$(mktemp -d)
port=${CHECK_PORT:-8799}
server_pid=""
db_name="cqdt_production_check_$$"
cleanup() {
  if [ -n "$server_pid" ]; then
    # granian may not leave on SIGTERM while its workers drain: give it 10 s, then SIGKILL the
    # server and its workers, so CI never hangs here.
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 10); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
    pkill -KILL -P "$server_pid" 2>/dev/null || true
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${use_pg:-0}" = 1 ]; then dropdb -h 127.0.0.1 -U postgres --if-exists --force "$db_name" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=cqdt.config.settings.prod
export CQDT_SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(60))')"
export CQDT_VAR_DIR="$work"
export CQDT_ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on the loopback: TLS is the reverse proxy's (see the README).
export CQDT_SECURE_SSL_REDIRECT=false
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  use_pg=1
  createdb -h 127.0.0.1 -U postgres "$db_name"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db_name"
else
  use_pg=0
  export DATABASE_URL="sqlite:///$work/cqdt.sqlite3"
fi
echo "production check: ${DATABASE_URL%%:*} database, var in $work"

"$BIN/cqdt" migrate --noinput -v0
"$BIN/cqdt" createcachetable
"$BIN/cqdt" load_reference_data >/dev/null
"$BIN/cqdt" collectstatic --noinput -v0

"$BIN/granian" --interface wsgi --host 127.0.0.1 --port "$port" --workers 2 --blocking-threads 8 \
  --respawn-failed-workers cqdt.config.wsgi:application >"$work/server.log" 2>&1 &
server_pid=$!

status=""
for _ in $(seq 1 120); do
  status=$(curl -s -o "$work/readyz.json" -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
  [ "$status" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 1
done
if [ "$status" != 200 ]; then
  echo "production check FAILED: /readyz answered ${status:-nothing}"; cat "$work/readyz.json" 2>/dev/null || true
  tail -40 "$work/server.log"; exit 1
fi
echo "production check: /readyz 200 $(cat "$work/readyz.json")"

# A static file by its hashed name, compressed (whitenoise + CompressedManifestStaticFilesStorage).
asset=$("$BIN/python" -c "import json,sys; m=json.load(open(sys.argv[1]))['paths']; print(next(v for k,v in m.items() if k.endswith('.css')))" "$work/static/staticfiles.json")
encoding=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/static/$asset" | tr -d '\r' | awk -F': ' 'tolower($1)=="content-encoding"{print $2}')
if [ "$encoding" != gzip ]; then
  echo "production check FAILED: /static/$asset not served gzip-compressed (got '${encoding}')"; exit 1
fi
echo "production check: /static/$asset served gzip-compressed"
grep -q '"event": "request"' "$work/server.log" || { echo "production check FAILED: no JSON access log line"; exit 1; }
echo "production check: JSON access log present"
echo "production check: passed"
