#!/usr/bin/env bash
# Runs the benchmarks on a Release build: sale ingest on SQLite and a throwaway PostgreSQL
# (./bench/run.sh [--documents N] [--clients N]), the Xero client against the emulator, then whole sync runs
# against the emulator with Xero's limits on a sped-up clock (a 10,000-invoice backlog and 1,000 tenants × 100 on
# SQLite; 1,000 tenants × 100 on PostgreSQL), and a run's own work per document with the limits lifted.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-postgres.sh
dotnet build -c Release --nologo -v quiet Silo/Silo.csproj >/dev/null
dotnet build -c Release --nologo -v quiet bench/InventorySync.Bench/InventorySync.Bench.csproj >/dev/null
bench=bench/InventorySync.Bench/bin/Release/net10.0/InventorySync.Bench.dll
dotnet "$bench" ingest --silo Silo/bin/Release/net10.0/InventorySync.Silo.dll "$@"
dotnet "$bench" xero
# The sync benchmarks take PostgreSQL from INVENTORYSYNC_TEST_POSTGRES when it is set: the SQLite runs unset it.
env -u INVENTORYSYNC_TEST_POSTGRES dotnet "$bench" sync --speed 2
dotnet "$bench" sync --speed 2 --invoices 0 --postgres "$INVENTORYSYNC_TEST_POSTGRES"
# A run's own work per document, Xero's limits lifted, on both databases.
env -u INVENTORYSYNC_TEST_POSTGRES dotnet "$bench" sync --own-work --speed 1
dotnet "$bench" sync --own-work --speed 1 --postgres "$INVENTORYSYNC_TEST_POSTGRES"
