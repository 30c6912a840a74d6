#!/usr/bin/env bash
# Cold-start benchmark (process backend): time from a request to a function at true zero (no
# replica process left) to its 200, through the gateway, which holds the call, asks the
# controller for one replica and forwards it when the replica is ready.
# Each sample: scale `echo` to 0 through the API, wait until the controller reports no replica
# and the replica process is gone, then time one POST with curl -w. Reports p50/p99/min/max.
# Usage: bench/coldstart.sh   (SAMPLES=30 to change the sample count; READY_TO_RUN=1 runs a
# ReadyToRun publish of the watchdog instead of the Release build)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init coldstart
SAMPLES="${SAMPLES:-30}"

need_tools curl
build_platform
if [ "${READY_TO_RUN:-0}" = 1 ]; then publish_watchdog_r2r; fi

# No prometheus_url: the autoscaler is off, so a function scaled to 0 stays there until a call
# makes the gateway ask for a replica.
log "starting controller and gateway"
start_controller
start_gateway gateway ready_wait_timeout=60s
deploy_echo

# PIDs of the replica processes of echo: the watchdogs the controller started for it.
replica_pids() { pgrep -P "$CONTROLLER_PID" 2>/dev/null || true; }

TIMES=()
for i in $(seq 1 "$SAMPLES"); do
  before=$(replica_pids)
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"serviceName":"echo","replicas":0,"namespace":"openfaas-fn"}' "$CONTROLLER_URL/system/scale-function/echo?namespace=openfaas-fn"
  at_zero=false
  for _ in $(seq 1 300); do
    status=$(curl -fsS "$CONTROLLER_URL/system/function/echo?namespace=openfaas-fn" || true)
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
  result=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' --max-time 60 -d ping "$GATEWAY_URL/function/echo")
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
