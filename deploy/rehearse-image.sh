#!/usr/bin/env bash
# Builds deploy/Dockerfile with podman and runs the image as an operator would: two silos and the API-only front end
# (host network) on a throwaway PostgreSQL, Xero played by the emulator. Through the front end it makes a tenant,
# connects it (the OAuth redirect lands on silo 1), sends a sale and syncs it; it fails unless the run succeeds.
# Where Microsoft's base images cannot be pulled, --stand-in-bases builds look-alikes first (as root, on Debian): Debian
# 12 with the packages .NET's images hold, plus this machine's .NET SDK (build stage) or runtimes (final image).
# The image stays behind as inventorysync-rehearsal, and its build stage as a dangling image (podman image prune);
# the stand-ins do not.
#   ./deploy/rehearse-image.sh                     # Microsoft's base images
#   ./deploy/rehearse-image.sh --stand-in-bases    # offline
set -euo pipefail
trap 'echo "rehearse-image.sh: line $LINENO failed" >&2' ERR
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
install_missing() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$tool" >/dev/null
  done
}
install_missing podman curl

work=$(mktemp -d /tmp/rehearse-image.XXXX)
containers=(rehearsal-silo1 rehearsal-silo2 rehearsal-front-end)
stand_ins=(localhost/dotnet-sdk-stand-in:10.0 localhost/dotnet-aspnet-stand-in:10.0)
cleanup() {
  podman rm -f "${containers[@]}" >/dev/null 2>&1 || true
  podman rmi "${stand_ins[@]}" >/dev/null 2>&1 || true
  [ -z "${emulator:-}" ] || kill "$emulator" 2>/dev/null || true
  rm -rf "$work"
  stop_postgres 2>/dev/null || true
}
trap cleanup EXIT INT TERM

bases=()
if [ "${1:-}" = --stand-in-bases ]; then
  install_missing debootstrap
  echo "Making stand-ins for Microsoft's base images..."
  dotnet=$(dirname "$(readlink -f "$(command -v dotnet)")")
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g bookworm "$work/debian" \
    http://deb.debian.org/debian >"$work/debootstrap.log"
  # This machine's trusted certificates: the build restores from the NuGet feed this machine reaches.
  cp /etc/ssl/certs/ca-certificates.crt "$work/debian/etc/ssl/certs/"
  stand_in() { # image name, then the parts of the .NET installation it holds
    local name=$1 root=$work/stand-in
    shift
    cp -a "$work/debian" "$root"
    mkdir -p "$root/usr/share/dotnet/shared"
    for part in dotnet host "$@"; do cp -a "$dotnet/$part" "$root/usr/share/dotnet/$(dirname "$part")/"; done
    ln -s /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
    tar -C "$root" -c . | podman import --change "ENV DOTNET_RUNNING_IN_CONTAINER=true" \
      --change "ENV DOTNET_NOLOGO=true" \
      --change "ENV NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}" \
      - "$name" >/dev/null
    rm -rf "$root"
  }
  stand_in "${stand_ins[0]}" sdk packs sdk-manifests templates shared/Microsoft.NETCore.App \
    shared/Microsoft.AspNetCore.App
  stand_in "${stand_ins[1]}" shared/Microsoft.NETCore.App shared/Microsoft.AspNetCore.App
  bases=(--pull=never --build-arg "SDK_IMAGE=${stand_ins[0]}" --build-arg "RUNTIME_IMAGE=${stand_ins[1]}")
fi

echo "Building the image..."
podman build "${bases[@]}" --network host -f deploy/Dockerfile -t inventorysync-rehearsal . >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log"; exit 1; }

source scripts/throwaway-postgres.sh
trap cleanup EXIT INT TERM # the cluster's own trap stops it; cleanup does that and more
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 -subj /CN=keys \
  2>/dev/null
cat "$work/cert.pem" "$work/key.pem" > "$work/key-encryption.pem"
chmod 644 "$work/key-encryption.pem"

xero=http://127.0.0.1:18090
dotnet run --project XeroSandbox -c Release -- --urls $xero >"$work/emulator.log" 2>&1 &
emulator=$!
admin=rehearsal-operator-key-0123456789
# Limits no higher than a container engine's own parent allows; Orleans and the API need far fewer.
run=(podman run -d --network host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096
  -v "$work/key-encryption.pem:/run/secrets/key-encryption:ro"
  -e "INVENTORYSYNC_DATABASE=$INVENTORYSYNC_TEST_POSTGRES;Database=postgres"
  -e "INVENTORYSYNC_ADMIN_KEY=$admin" -e INVENTORYSYNC_KEY_ENCRYPTION=/run/secrets/key-encryption
  -e Xero__ClientId=sandbox-client-id -e Xero__ClientSecret=sandbox-client-secret
  -e Xero__LoginUrl=$xero -e Xero__IdentityUrl=$xero -e Xero__ApiUrl=$xero
  -e Xero__RedirectUri=http://127.0.0.1:18081/api/v1/xero/callback -e Orleans__AdvertisedAddress=127.0.0.1)
ready() { # the address that answers once ready, then the command that shows why it does not
  local url=$1
  shift
  for _ in $(seq 1 180); do curl -sf "$url" >/dev/null && return; sleep 1; done
  echo "$url never answered" >&2
  "$@" >&2
  exit 1
}
"${run[@]}" --name rehearsal-silo1 -e Orleans__SiloPort=21111 -e Orleans__GatewayPort=31111 \
  inventorysync-rehearsal --urls http://0.0.0.0:18081 >/dev/null
ready http://127.0.0.1:18081/readyz podman logs --tail 30 rehearsal-silo1
"${run[@]}" --name rehearsal-silo2 -e Orleans__SiloPort=21112 -e Orleans__GatewayPort=31112 \
  inventorysync-rehearsal --urls http://0.0.0.0:18082 >/dev/null
"${run[@]}" --name rehearsal-front-end --entrypoint dotnet \
  inventorysync-rehearsal api/InventorySync.Api.dll --urls http://0.0.0.0:18070 >/dev/null
ready http://127.0.0.1:18082/readyz podman logs --tail 30 rehearsal-silo2
ready http://127.0.0.1:18070/readyz podman logs --tail 30 rehearsal-front-end
ready $xero/sandbox/requests tail -n 30 "$work/emulator.log"
echo "Two silos and the front end are ready; a sale goes through the front end to Xero..."

api=http://127.0.0.1:18070/api/v1
post() { curl -sf -X POST "$api/$1" -H "Authorization: Bearer $2" -H "Content-Type: application/json" -d "${3:-}"; }
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d '"' -f 4; }
tenant=$(post tenants "$admin" '{"name":"Image Rehearsal","timeZone":"Europe/London"}' | field id)
key=$(post "tenants/$tenant/users" "$admin" '{"name":"Ada"}' | field apiKey)
curl -sf -X POST $xero/sandbox/organisations -H "Content-Type: application/json" -d '{"name":"Rehearsal Ltd"}' \
  >/dev/null
consent=$(post "tenants/$tenant/xero/connect" "$key" | grep -o 'http[^"]*')
callback=$(curl -sf -o /dev/null -w "%{redirect_url}" "$consent")
curl -sf "$callback" | grep -q '"status":"Connected"'
curl -sf -X PUT "$api/tenants/$tenant/account-mappings" -H "Authorization: Bearer $key" \
  -H "Content-Type: application/json" -d '{"sales":"200","purchases":"300","bank":"090"}' >/dev/null
contact=$(post "tenants/$tenant/contacts" "$key" '{"name":"Bob","isCustomer":true}' | field id)
post "tenants/$tenant/sales" "$key" '{"contactId":"'"$contact"'","reference":"SO-1","invoices":[{"invoiceNumber":
  "INV-1","date":"2026-11-02","currencyCode":"GBP","lines":[{"description":"Widget","quantity":3,"unitAmount":9.99,
  "taxRate":20}]}]}' >/dev/null
post "tenants/$tenant/sync" "$key" >/dev/null
for _ in $(seq 1 60); do
  runs=$(curl -sf "$api/tenants/$tenant/sync/runs" -H "Authorization: Bearer $key")
  grep -q '"state":"\(Queued\|Running\)"' <<<"$runs" || break
  sleep 1
done
echo "$runs"
grep -q '"state":"Succeeded".*"synced":2,"failed":0' <<<"$runs"
for container in "${containers[@]}"; do
  if podman logs "$container" 2>&1 | grep -E "^(fail|crit|Error)" >&2; then exit 1; fi
done
echo "The image works: built, clustered, connected to Xero and synced."
