#!/usr/bin/env bash
# Cold-start benchmark (process backend): time from a request to a function at true zero (no
# replica process left) to its 200, through the gateway, which holds the call, asks the
# controller for one replica and forwards it when the replica is ready.
# Each sample: scale `echo` to 0 through the API, wait until the controller reports no replica
# and the replica process is gone, then time one POST with curl -w. Reports p50/p99/min/max.
# Usage: bench/coldstart.sh   (SAMPLES=30 to change the sample count)
set -euo pipefail
trap 'echo "bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CONFIGURATION=Release
SAMPLES="${SAMPLES:-30}"

log() { printf '==> %s\n' "$*" >&2; }

command -v curl >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

log "building (Release)"
for project in gateway/Faas.Gateway.csproj controller/Faas.Controller.csproj watchdog/Faas.Watchdog.csproj cli/Faas.Cli.csproj; do
  dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet >/dev/null
done
out() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$2"; }

WORK=$(mktemp -d /tmp/faas-bench-coldstart.XXXXXX)
PIDS=()
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  shuf -i 20000-60000 -n 1; }
CONTROLLER_PORT=$(free_port); GATEWAY_PORT=$(free_port)
CONTROLLER="http://127.0.0.1:$CONTROLLER_PORT"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
mkdir -p "$WORK/state" "$WORK/artifacts"

wait_url() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "bench: $1 did not answer" >&2; return 1
}

# No prometheus_url: the autoscaler is off, so a function scaled to 0 stays there until a call
# makes the gateway ask for a replica.
log "starting controller and gateway"
env port="$CONTROLLER_PORT" bind_address=127.0.0.1 state_dir="$WORK/state" artifact_store="$WORK/artifacts" \
  watchdog_path="$(out watchdog Faas.Watchdog.dll)" \
  dotnet "$(out controller Faas.Controller.dll)" >"$WORK/controller.log" 2>&1 &
PIDS+=($!)
wait_url "$CONTROLLER/healthz"
env port="$GATEWAY_PORT" metrics_port=0 bind_address=127.0.0.1 functions_provider_url="$CONTROLLER" ready_wait_timeout=60s \
  dotnet "$(out gateway Faas.Gateway.dll)" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_url "$GATEWAY/healthz"

log "deploying echo"
(cd samples && FAAS_ARTIFACT_STORE="$WORK/artifacts" NUGET_PACKAGES="$WORK/nuget" OPENFAAS_CONFIG="$WORK/openfaas" \
  dotnet "$(out cli faas-cli.dll)" up -f stack.yml --gateway "$GATEWAY") >"$WORK/deploy.log" 2>&1 ||
  { cat "$WORK/deploy.log" >&2; exit 1; }
for _ in $(seq 1 300); do
  [ "$(curl -s -d ping "$GATEWAY/function/echo")" = "ping" ] && break
  sleep 0.2
done

# PIDs of the replica processes of echo: the watchdogs the controller started for it.
replica_pids() { pgrep -P "${PIDS[0]}" 2>/dev/null || true; }

TIMES=()
for i in $(seq 1 "$SAMPLES"); do
  before=$(replica_pids)
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"serviceName":"echo","replicas":0,"namespace":"openfaas-fn"}' "$CONTROLLER/system/scale-function/echo?namespace=openfaas-fn"
  at_zero=false
  for _ in $(seq 1 300); do
    status=$(curl -fsS "$CONTROLLER/system/function/echo?namespace=openfaas-fn" || true)
    gone=true
    for pid in $before; do kill -0 "$pid" 2>/dev/null && gone=false; done
    # Zero counts are left out of the JSON.
    if $gone && [ -n "$status" ] && ! echo "$status" | grep -Eq '"(replicas|availableReplicas)":[1-9]'; then
      at_zero=true; break
    fi
    sleep 0.1
  done
  $at_zero || { echo "bench: echo did not reach zero replicas: $status; replicas before: $before, now: $(replica_pids)" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }
  sleep 1 # let the endpoint stream carry "0 desired" to the gateway
  result=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' --max-time 60 -d ping "$GATEWAY/function/echo")
  code=${result%% *}; seconds=${result##* }
  [ "$code" = 200 ] && [ "$(cat "$WORK/body")" = ping ] || { echo "bench: sample $i answered $code" >&2; tail -n 20 "$WORK/gateway.log" >&2; exit 1; }
  ms=$(awk -v s="$seconds" 'BEGIN { printf "%.0f", s * 1000 }')
  log "sample $i: ${ms} ms"
  TIMES+=("$ms")
done

printf '%s\n' "${TIMES[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END {
    p50 = v[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
    printf "cold start through the gateway, %d samples: p50 %d ms, p99 %d ms, min %d ms, max %d ms\n", NR, p50, v[i99], v[1], v[NR]
  }'
