#!/usr/bin/env bash
# Runs the benchmarks on a Release build: sale ingest on SQLite and a throwaway PostgreSQL
# (./bench/run.sh [--documents N] [--clients N]), then the Xero client against the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-postgres.sh
dotnet build -c Release --nologo -v quiet Silo/Silo.csproj >/dev/null
dotnet build -c Release --nologo -v quiet bench/InventorySync.Bench/InventorySync.Bench.csproj >/dev/null
bench=bench/InventorySync.Bench/bin/Release/net10.0/InventorySync.Bench.dll
dotnet "$bench" ingest --silo Silo/bin/Release/net10.0/InventorySync.Silo.dll "$@"
dotnet "$bench" xero
