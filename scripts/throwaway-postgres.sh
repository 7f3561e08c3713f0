# Sourced by test.sh and bench/run.sh: installs PostgreSQL if missing (Debian package), starts a throwaway
# cluster on a free loopback port, exports INVENTORYSYNC_TEST_POSTGRES, and stops and removes it on exit.

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
  echo "no free port found" >&2
  return 1
}

# initdb refuses to run as root: as root, the cluster belongs to the 'postgres' account.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

PGWORK=$(mktemp -d /tmp/inventorysync-pg.XXXXXX)
chmod 755 "$PGWORK"
if [ "$(id -u)" = 0 ]; then chown postgres "$PGWORK"; fi
PGPORT=$(free_port)
as_pg "$PGBIN/initdb" -D "$PGWORK/data" -A trust -U postgres --no-sync >"$PGWORK/initdb.log"
# Durability is not wanted from a throwaway cluster, speed is.
as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -l "$PGWORK/postgres.log" -w -o \
  "-p $PGPORT -k $PGWORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null
stop_postgres() {
  as_pg "$PGBIN/pg_ctl" -D "$PGWORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGWORK"
}
trap stop_postgres EXIT
export INVENTORYSYNC_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Maximum Pool Size=50"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PGPORT"
