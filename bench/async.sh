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
trap 'echo "bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CONFIGURATION=Release
N="${N:-10000}"
CONCURRENCY="${CONCURRENCY:-64}"
TIMEOUT="${TIMEOUT:-600}"
CONFIGS="${CONFIGS:-}"
EXTRA_WORKERS="${EXTRA_WORKERS:-0}"

log() { printf '==> %s\n' "$*" >&2; }

missing=()
for tool in nats-server:nats-server curl:curl; do command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log "building (Release)"
for project in gateway/Faas.Gateway.csproj controller/Faas.Controller.csproj watchdog/Faas.Watchdog.csproj cli/Faas.Cli.csproj bench/Faas.Bench/Faas.Bench.csproj; do
  dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet >/dev/null
done
out() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$2"; }

WORK=$(mktemp -d /tmp/faas-bench-async.XXXXXX)
PIDS=()
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  shuf -i 20000-60000 -n 1; }
CONTROLLER_PORT=$(free_port)
mkdir -p "$WORK/state" "$WORK/artifacts"

wait_url() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "bench: $1 did not answer" >&2; return 1
}

log "starting controller"
env port="$CONTROLLER_PORT" bind_address=127.0.0.1 state_dir="$WORK/state" artifact_store="$WORK/artifacts" \
  watchdog_path="$(out watchdog Faas.Watchdog.dll)" \
  dotnet "$(out controller Faas.Controller.dll)" >"$WORK/controller.log" 2>&1 &
PIDS+=($!)
wait_url "http://127.0.0.1:$CONTROLLER_PORT/healthz"

DEPLOYED=""
declare -a ROWS=()
IFS=';' read -r -a CONFIG_LIST <<<"${CONFIGS:-defaults}"
round=0
for config in "${CONFIG_LIST[@]}"; do
  round=$((round + 1))
  [ "$config" = "defaults" ] && config=""
  NATS_PORT=$(free_port); GATEWAY_PORT=$(free_port); METRICS_PORT=$(free_port)
  mkdir -p "$WORK/nats-$round"
  log "round $round: nats-server (JetStream, empty store) on 127.0.0.1:$NATS_PORT"
  nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$WORK/nats-$round" >"$WORK/nats-$round.log" 2>&1 &
  NATS_PID=$!; PIDS+=("$NATS_PID")
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break; sleep 0.1; done

  log "round $round: gateway with ${config:-the default async settings} (+ $EXTRA_WORKERS separate queue workers)"
  # shellcheck disable=SC2086
  env port="$GATEWAY_PORT" metrics_port="$METRICS_PORT" bind_address=127.0.0.1 \
    functions_provider_url="http://127.0.0.1:$CONTROLLER_PORT" nats_url="nats://127.0.0.1:$NATS_PORT" $config ${GATEWAY_ENV:-} \
    dotnet "$(out gateway Faas.Gateway.dll)" >"$WORK/gateway-$round.log" 2>&1 &
  GATEWAY_PID=$!; PIDS+=("$GATEWAY_PID")
  wait_url "http://127.0.0.1:$GATEWAY_PORT/healthz"
  WORKER_PIDS=()
  for w in $(seq 1 "$EXTRA_WORKERS"); do
    WORKER_PORT=$(free_port); WORKER_METRICS_PORT=$(free_port)
    # shellcheck disable=SC2086
    env port="$WORKER_PORT" metrics_port="$WORKER_METRICS_PORT" bind_address=127.0.0.1 role=queue-worker \
      gateway_url="http://127.0.0.1:$GATEWAY_PORT" functions_provider_url="http://127.0.0.1:$CONTROLLER_PORT" \
      nats_url="nats://127.0.0.1:$NATS_PORT" $config ${GATEWAY_ENV:-} \
      dotnet "$(out gateway Faas.Gateway.dll)" >"$WORK/worker-$round-$w.log" 2>&1 &
    WORKER_PIDS+=($!); PIDS+=($!)
    wait_url "http://127.0.0.1:$WORKER_PORT/healthz"
  done

  if [ -z "$DEPLOYED" ]; then
    log "deploying echo"
    (cd samples && FAAS_ARTIFACT_STORE="$WORK/artifacts" NUGET_PACKAGES="$WORK/nuget" OPENFAAS_CONFIG="$WORK/openfaas" \
      dotnet "$(out cli faas-cli.dll)" up -f stack.yml --gateway "http://127.0.0.1:$GATEWAY_PORT") >"$WORK/deploy.log" 2>&1 ||
      { cat "$WORK/deploy.log" >&2; exit 1; }
    DEPLOYED=yes
  fi
  for _ in $(seq 1 300); do
    [ "$(curl -s -d ping "http://127.0.0.1:$GATEWAY_PORT/function/echo")" = "ping" ] && break
    sleep 0.2
  done
  # Async is ready once the gateway has its stream (503 before); this probe call has no callback.
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -d ping "http://127.0.0.1:$GATEWAY_PORT/async-function/echo")" = "202" ] && break
    sleep 0.2
  done

  log "round $round: $N async calls, $CONCURRENCY at a time"
  started=$(date +%s)
  set +e
  dotnet "$(out bench/Faas.Bench Faas.Bench.dll)" --gateway "http://127.0.0.1:$GATEWAY_PORT" --function echo \
    --n "$N" --concurrency "$CONCURRENCY" --timeout "$TIMEOUT" >"$WORK/result-$round.txt" 2>"$WORK/runner-$round.log"
  rc=$?
  set -e
  cat "$WORK/runner-$round.log" >&2
  [ "$rc" -eq 0 ] || log "round $round: runner exited with $rc (2 = callbacks still missing at the timeout)"
  log "round $round took $(($(date +%s) - started)) s"
  get() { awk -F= -v k="$1" '$1 == k {print $2}' "$WORK/result-$round.txt"; }
  # Warnings and errors the gateway logged, less the expected start-up note about max_async_body (5003).
  warnings=$(grep -E '^(warn|fail|crit): ' "$WORK/gateway-$round.log" | grep -v -c '\[5003\]' || true)
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
