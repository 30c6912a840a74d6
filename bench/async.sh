#!/usr/bin/env bash
# Async invocation benchmark (issue #4): for N calls to the trivial `echo` C# handler through
# POST /async-function/echo with an X-Callback-Url, measures accepted/s at the gateway,
# completed-with-callback/s and the POST -> callback latency (p50/p99/max), with
# bench/Faas.Bench as load generator and callback receiver.
# Starts, on loopback ports with temporary state: the controller, then for each configuration a
# fresh nats-server (JetStream, empty store) and a gateway with nats_url and that configuration.
# Usage: bench/async.sh   (N=10000 CONCURRENCY=64 TIMEOUT=600 to change the load;
#   CONFIGS="max_inflight=16 max_inflight_per_function=4;max_inflight=64 max_inflight_per_function=64"
#   runs one round per ';'-separated list of gateway settings; the default is the gateway's defaults;
#   EXTRA_WORKERS=1 also starts that many separate queue workers (role=queue-worker) per round)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init async
N="${N:-10000}"
CONCURRENCY="${CONCURRENCY:-64}"
TIMEOUT="${TIMEOUT:-600}"
CONFIGS="${CONFIGS:-}"
EXTRA_WORKERS="${EXTRA_WORKERS:-0}"

need_tools nats-server curl
build_platform bench/Faas.Bench/Faas.Bench.csproj

log "starting controller"
start_controller

DEPLOYED=""
declare -a ROWS=()
IFS=';' read -r -a CONFIG_LIST <<<"${CONFIGS:-defaults}"
round=0
for config in "${CONFIG_LIST[@]}"; do
  round=$((round + 1))
  [ "$config" = "defaults" ] && config=""
  NATS_PORT=$(free_port)
  mkdir -p "$WORK/nats-$round"
  log "round $round: nats-server (JetStream, empty store) on 127.0.0.1:$NATS_PORT"
  nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$WORK/nats-$round" >"$WORK/nats-$round.log" 2>&1 &
  NATS_PID=$!; PIDS+=("$NATS_PID")
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break; sleep 0.1; done

  log "round $round: gateway with ${config:-the default async settings} (+ $EXTRA_WORKERS separate queue workers)"
  # shellcheck disable=SC2086
  start_gateway "gateway-$round" nats_url="nats://127.0.0.1:$NATS_PORT" $config
  WORKER_PIDS=()
  for w in $(seq 1 "$EXTRA_WORKERS"); do
    WORKER_PORT=$(free_port); WORKER_METRICS_PORT=$(free_port)
    # shellcheck disable=SC2086
    env port="$WORKER_PORT" metrics_port="$WORKER_METRICS_PORT" bind_address=127.0.0.1 role=queue-worker \
      gateway_url="$GATEWAY_URL" functions_provider_url="$CONTROLLER_URL" \
      nats_url="nats://127.0.0.1:$NATS_PORT" $config ${GATEWAY_ENV:-} \
      dotnet "$(out gateway Faas.Gateway.dll)" >"$WORK/worker-$round-$w.log" 2>&1 &
    WORKER_PIDS+=($!); PIDS+=($!)
    wait_url "http://127.0.0.1:$WORKER_PORT/healthz"
  done

  if [ -z "$DEPLOYED" ]; then
    deploy_echo
    DEPLOYED=yes
  fi
  # Async is ready once the gateway has its stream (503 before); this probe call has no callback.
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -d ping "$GATEWAY_URL/async-function/echo")" = "202" ] && break
    sleep 0.2
  done

  log "round $round: $N async calls, $CONCURRENCY at a time"
  started=$(date +%s)
  set +e
  dotnet "$(out bench/Faas.Bench Faas.Bench.dll)" --gateway "$GATEWAY_URL" --function echo \
    --n "$N" --concurrency "$CONCURRENCY" --timeout "$TIMEOUT" >"$WORK/result-$round.txt" 2>"$WORK/runner-$round.log"
  rc=$?
  set -e
  cat "$WORK/runner-$round.log" >&2
  [ "$rc" -eq 0 ] || log "round $round: runner exited with $rc (2 = callbacks still missing at the timeout)"
  log "round $round took $(($(date +%s) - started)) s"
  get() { awk -F= -v k="$1" '$1 == k {print $2}' "$WORK/result-$round.txt"; }
  # Warnings and errors the gateway logged.
  warnings=$(grep -c -E '^(warn|fail|crit): ' "$WORK/gateway-$round.log" || true)
  label="${config:-defaults (max_inflight=16 max_inflight_per_function=4)}"
  [ "$EXTRA_WORKERS" -eq 0 ] || label="$label, + $EXTRA_WORKERS queue-worker process(es)"
  ROWS+=("| $label | $(get accepted)/$N | $(get accepted_per_s) | $(get accept_p50_ms) / $(get accept_p99_ms) | $(get completed_per_s) | $(get latency_p50_ms) | $(get latency_p99_ms) | $(get latency_max_ms) | $(get duplicates) | $(get missing) | $(get non_200_callbacks) | $warnings |")
  cat "$WORK/result-$round.txt" >&2
  grep -E '^(warn|fail|crit): ' -A1 "$WORK/gateway-$round.log" | head -n 20 >&2 || true

  for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid"; done
  stop_pid "$GATEWAY_PID"; stop_pid "$NATS_PID"
done

echo
echo "N=$N calls to echo (4-byte body), $CONCURRENCY concurrent POSTs; each round on a fresh JetStream store."
echo
echo "| gateway settings | accepted | accepted/s | 202 p50 / p99 ms | completed/s | POST→callback p50 ms | p99 ms | max ms | duplicates | missing | non-200 callbacks | gateway warnings |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
