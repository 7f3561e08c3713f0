#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine (as root) it installs what is missing, starts a throwaway
# PostgreSQL cluster on a free port, runs the whole suite on both databases, stops what it started and
# ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(postgres_bin)" ]; then
  echo "Installing PostgreSQL (Debian package)..."
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(postgres_bin)

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

# initdb refuses to run as root: the cluster belongs to the 'postgres' account when we are root.
work=$(mktemp -d /tmp/inventorysync-pg.XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
port=$(free_port)
as_pg "$PGBIN/initdb" -D "$work/data" -A trust -U postgres --no-sync >"$work/initdb.log"
# A throwaway cluster: durability is not wanted, speed is.
as_pg "$PGBIN/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o \
  "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null
stop() {
  as_pg "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
export INVENTORYSYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Pooling=true;Maximum Pool Size=50"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $port"

status=0
dotnet test InventorySync.sln --nologo "$@" 2>&1 | tee "$work/test.log" || status=$?

# dotnet test prints one summary per test project, e.g. "Passed!  - Failed: 0, Passed: 57, Skipped: 0, Total: 57".
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
