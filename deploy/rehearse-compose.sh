#!/usr/bin/env bash
# Runs deploy/compose.yaml where no container engine runs (as root, on Debian): each service but the database as a
# process in a network namespace of its own, as its container would run it: the image's layout (published as the
# Dockerfile does), the environment, command, secret path and host name the compose file gives it, and "db" a
# throwaway PostgreSQL on a bridge between them. Ctrl+C stops everything it started.
#   ./deploy/rehearse-compose.sh     # silos on http://10.77.0.11-13:8080, the front end on http://10.77.0.14:8080
#   ./deploy/rehearse-compose.sh -f override.yaml    # with compose files of yours merged over it
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "network namespaces need root" >&2; exit 2; }
if ip link show isbr0 >/dev/null 2>&1; then
  echo "a rehearsal is running, or left its network behind (ip link del isbr0)" >&2
  exit 2
fi
command -v docker-compose >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null

work=$(mktemp -d /tmp/rehearse-compose.XXXX)
chown postgres "$work"
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  for svc in silo1 silo2 silo3 api; do
    ip netns pids "$svc" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$svc" 2>/dev/null || true
    rm -rf "/etc/netns/$svc"
  done
  ip link del isbr0 2>/dev/null || true
  su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $work/db -m immediate stop" >/dev/null 2>&1 || true
  if [ -n "${made_mount:-}" ]; then rm -f /run/secrets/key-encryption; fi
}
trap cleanup EXIT INT TERM

# What the compose file's users give it.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 -subj /CN=keys \
  2>/dev/null
cat "$work/cert.pem" "$work/key.pem" > "$work/key-encryption.pem"
export INVENTORYSYNC_ADMIN_KEY=${INVENTORYSYNC_ADMIN_KEY:-rehearsal-operator-key-0123456789}
export INVENTORYSYNC_KEY_ENCRYPTION_FILE=$work/key-encryption.pem
export XERO_CLIENT_ID=${XERO_CLIENT_ID:-rehearsal} XERO_CLIENT_SECRET=${XERO_CLIENT_SECRET:-rehearsal}
docker-compose -f deploy/compose.yaml "$@" config > "$work/compose.yaml"

echo "Publishing the image's contents..."
dotnet publish Silo/Silo.csproj -c Release -o "$work/app/silo" --nologo -v q
dotnet publish Api/Api.csproj -c Release -o "$work/app/api" --nologo -v q

# The network, and "db" on the bridge's host side as the compose file's PostgreSQL service.
ip link add isbr0 type bridge
ip addr add 10.77.0.1/24 dev isbr0
ip link set isbr0 up
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $work/db -U postgres -A trust" >/dev/null
echo "host all all 10.77.0.0/24 md5" >> "$work/db/pg_hba.conf"
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $work/db -l $work/db.log -w start \
  -o '-p 5432 -k $work -c listen_addresses=10.77.0.1'" >/dev/null
psql -h "$work" -U postgres -qc "create user inventorysync password 'inventorysync'" \
  -c "create database inventorysync owner inventorysync"

# A mount point for each secret, as the container has; removed again if it was not there.
[ -e /run/secrets/key-encryption ] || { mkdir -p /run/secrets && touch /run/secrets/key-encryption && made_mount=1; }
address=10
for svc in silo1 silo2 silo3 api; do
  address=$((address + 1))
  ip netns add "$svc"
  ip link add "v$svc" type veth peer name eth0 netns "$svc"
  ip link set "v$svc" master isbr0 up
  ip netns exec "$svc" ip addr add "10.77.0.$address/24" dev eth0
  ip netns exec "$svc" ip link set eth0 up
  ip netns exec "$svc" ip link set lo up
  mkdir -p "/etc/netns/$svc"
  printf "127.0.0.1 localhost\n10.77.0.1 db\n10.77.0.%s %s\n" "$address" "$svc" > "/etc/netns/$svc/hosts"
done

# Each service's command line, from the compose file as docker-compose resolved it.
python3 - "$work" > "$work/commands" <<'EOF'
import json, shlex, sys, yaml
work = sys.argv[1]
config = yaml.safe_load(open(f"{work}/compose.yaml"))
image_entrypoint = next(json.loads(line.split(None, 1)[1]) for line in open("deploy/Dockerfile")
                        if line.startswith("ENTRYPOINT"))
for name, service in config["services"].items():
    if name == "db":
        continue
    mounts = "".join(f"mount --bind {shlex.quote(config['secrets'][s['source']]['file'])} /run/secrets/{s['source']}; "
                     for s in service.get("secrets", []))
    environment = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in service["environment"].items())
    command = " ".join(map(shlex.quote, service.get("entrypoint") or image_entrypoint))
    print(name, shlex.quote(f"hostname {name}; {mounts}cd {work}/app; "
                            f"exec env -i PATH=$PATH HOME=/root DOTNET_CLI_HOME=/tmp {environment} {command}"))
EOF
while read -r svc script; do
  eval "exec ip netns exec $svc unshare --uts --mount sh -c $script" > "$work/$svc.log" 2>&1 &
  pids+=($!)
  echo "$svc: logs in $work/$svc.log"
done < "$work/commands"
echo "Silos on http://10.77.0.11-13:8080, the front end on http://10.77.0.14:8080"
echo "Operator key: $INVENTORYSYNC_ADMIN_KEY"
wait
