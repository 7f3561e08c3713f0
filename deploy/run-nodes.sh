#!/usr/bin/env bash
# Starts N silos of one Orleans cluster on one PostgreSQL database (Ctrl+C stops them all): node i serves HTTP on
# 5080+i, talks to the other silos on 11110+i and takes Orleans clients on 30000+i.
#   INVENTORYSYNC_DATABASE="Host=db;Database=inventorysync;Username=app;Password=..." \
#   INVENTORYSYNC_ADMIN_KEY=... INVENTORYSYNC_KEY_ENCRYPTION=/path/to/key-encryption.pem ./deploy/run-nodes.sh 3
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2}
: "${INVENTORYSYNC_DATABASE:?set INVENTORYSYNC_DATABASE to a PostgreSQL connection string (Host=...)}"
: "${INVENTORYSYNC_ADMIN_KEY:?set INVENTORYSYNC_ADMIN_KEY: every node must accept the same operator key}"
: "${INVENTORYSYNC_KEY_ENCRYPTION:?set INVENTORYSYNC_KEY_ENCRYPTION: every node needs one key-encryption certificate}"
case "$INVENTORYSYNC_DATABASE" in *Host=*|*host=*) ;; *) echo "several nodes need PostgreSQL: SQLite serves one node only" >&2; exit 2;; esac

dotnet build -c Release --nologo -v quiet Silo/Silo.csproj >/dev/null
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM
for i in $(seq 1 "$nodes"); do
  port=$((5080 + i))
  Orleans__SiloPort=$((11110 + i)) Orleans__GatewayPort=$((30000 + i)) Orleans__AdvertisedAddress=127.0.0.1 \
    dotnet Silo/bin/Release/net10.0/InventorySync.Silo.dll --urls "http://127.0.0.1:$port" 2>&1 | sed -u "s/^/[node $i] /" &
  pids+=($!)
  echo "node $i: http://127.0.0.1:$port"
done
wait
