#!/usr/bin/env bash
# Warm-tier benchmark (process backend): time from a request to a function whose replica is
# paused (SIGSTOP, the warm tier) to its 200, through the gateway, which holds the call and asks
# the controller to resume; the controller sends SIGCONT and publishes the replica as ready at
# once, and the gateway forwards.
# Runs the real path: Prometheus scrapes the gateway, the autoscaler pauses `echo` after
# com.openfaas.scale.pause-duration=1s of no load. Each sample waits until the replica process is
# in state T (stopped), then times one POST with curl -w. A sample takes ~12 s because the
# load signal (rate over 10 s) has to fall to zero first. Reports p50/p99/min/max.
# Usage: bench/warmstart.sh   (SAMPLES=30 to change the sample count)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init warmstart
SAMPLES="${SAMPLES:-30}"

need_tools curl prometheus
build_platform

start_autoscaled_platform
deploy_echo
# The warm-tier labels (deploy_echo uses samples/stack.yml as is).
relabel_echo '{"com.openfaas.scale.pause-duration": "1s", "com.openfaas.scale.max": "2"}'
for _ in $(seq 1 300); do
  [ "$(curl -s -d ping "$GATEWAY_URL/function/echo")" = "ping" ] && [ "$(pgrep -P "$CONTROLLER_PID" | wc -l)" = 1 ] && break
  sleep 0.2
done

replica_pid() { pgrep -P "$CONTROLLER_PID" | head -n 1; }
state_of() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || echo gone; }

TIMES=()
for i in $(seq 1 "$SAMPLES"); do
  paused=false
  for _ in $(seq 1 600); do
    pid=$(replica_pid || true)
    if [ -n "$pid" ] && [ "$(state_of "$pid")" = T ]; then paused=true; break; fi
    sleep 0.1
  done
  $paused || { echo "bench: echo's replica was not paused" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }
  sleep 0.2 # the endpoint stream has long carried "paused" (it is published before SIGSTOP)
  result=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' --max-time 60 -d ping "$GATEWAY_URL/function/echo")
  code=${result%% *}; seconds=${result##* }
  [ "$code" = 200 ] && [ "$(cat "$WORK/body")" = ping ] || { echo "bench: sample $i answered $code" >&2; tail -n 20 "$WORK/gateway.log" >&2; exit 1; }
  [ "$(replica_pid)" = "$pid" ] || { echo "bench: sample $i was not served by the resumed replica" >&2; exit 1; }
  ms=$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')
  log "sample $i: ${ms} ms"
  TIMES+=("$ms")
done

printf '%s\n' "${TIMES[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END {
    p50 = v[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
    printf "warm tier (paused replica) through the gateway, %d samples: p50 %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms\n", NR, p50, v[i99], v[1], v[NR]
  }'
