#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine (as root) it installs what is missing, starts a throwaway
# PostgreSQL cluster on a free port, runs the whole suite on both databases, stops what it started and
# ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/throwaway-postgres.sh
# The alert tests send e-mail to a real SMTP server, aiosmtpd, which they start and stop themselves.
if ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then
  echo "Installing aiosmtpd (Debian package python3-aiosmtpd)..."
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-aiosmtpd >/dev/null \
    || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-aiosmtpd >/dev/null; }
fi

# The browser tests drive a real headless Chromium through chromedriver (Debian packages).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "Installing Chromium and its driver (Debian packages chromium, chromium-driver)..."
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null \
    || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null; }
fi

log="$PGWORK/test.log"
status=0
dotnet test InventorySync.sln --nologo "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 57, Skipped: 0, Total: 57".
sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
