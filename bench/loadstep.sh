#!/usr/bin/env bash
# Load-step benchmark: time from a step in load (1 -> 8 concurrent callers) on a capacity-scaled
# function (target 2 in flight per replica, max 3) to the new replicas ready, i.e. on the endpoint
# table the gateway forwards to. Runs the real loop: wrk through the gateway, Prometheus scraping
# the gateway every 1 s, the autoscaler every 500 ms.
# Each sample: scale echo back to 1 and wait for one ready replica, hold c=1 for 3 s, then start
# wrk -c8 and poll the controller every 50 ms for availableReplicas >= 2 and == 3.
# BACKEND=process (default: the controller starts watchdog processes) or docker (the echo image as
# containers on a private dockerd unless DOCKER_HOST answers; standbys, sandboxes as configured).
# Each sample is broken down from the controller's log (timestamped here): the step to the
# autoscaler's scale-up ("Scaled echo.openfaas-fn 1 -> N"), then to the first new replica ready
# (process: "-> Ready"; Docker: the start probe), then to the poll seeing availableReplicas >= 2.
# Usage: bench/loadstep.sh   (SAMPLES=5 to change the sample count; BACKEND=docker)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init loadstep
SAMPLES="${SAMPLES:-5}"

BACKEND="${BACKEND:-process}"
# Timestamps and the Docker start probe's "ready" line in controller.log, for the breakdown.
LOG_SETTINGS=("Logging__Console__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fff " "Logging__LogLevel__Faas.Controller.Backends.Docker.DockerBackend=Debug")
need_tools curl wrk prometheus
build_platform

if [ "$BACKEND" = docker ]; then
  need_tools docker:docker.io busybox:busybox-static
  docker_bench_setup
  start_autoscaled_platform backend=docker docker_network="faas-bench-$$" replica_drain_timeout=1s "${LOG_SETTINGS[@]}"
  curl -fsS -o /dev/null -X POST "$CONTROLLER_URL/system/functions" -d '{"service":"echo","image":"echo:latest"}'
  for _ in $(seq 1 300); do [ "$(curl -s -d ping "$GATEWAY_URL/function/echo")" = ping ] && break; sleep 0.2; done
  # Replica containers running (a standby is created, not running).
  replicas() { docker ps -q --filter label=com.faas.function=echo --filter label=com.faas.role=replica | wc -l; }
else
  start_autoscaled_platform "${LOG_SETTINGS[@]}"
  deploy_echo
  replicas() { pgrep -P "$CONTROLLER_PID" | wc -l; }
fi
# Capacity scaling: 2 calls in flight per replica, at most 3; short windows so that the count
# falls back between samples.
relabel_echo '{"com.openfaas.scale.type": "capacity", "com.openfaas.scale.target": "2", "com.openfaas.scale.target-proportion": "1", "com.openfaas.scale.min": "1", "com.openfaas.scale.max": "3", "com.openfaas.scale.down.window": "5s", "com.openfaas.scale.panic.window": "2s"}'

# grep, not a python start per poll: under the step's load that alone took a few hundred ms.
available() {
  curl -fsS "$CONTROLLER_URL/system/function/echo?namespace=openfaas-fn" | grep -o '"availableReplicas":[0-9]*' | cut -d: -f2
}
now_ms() { date +%s%3N; }

WRK_PID=
stop_wrk() { if [ -n "$WRK_PID" ]; then stop_pid "$WRK_PID"; wait "$WRK_PID" 2>/dev/null || true; WRK_PID=; fi; }
if [ "$BACKEND" = docker ]; then trap 'stop_wrk; docker_bench_cleanup' EXIT; else trap 'stop_wrk; bench_cleanup' EXIT; fi

TO2=(); TO3=(); T0S=()
for i in $(seq 1 "$SAMPLES"); do
  # Back to one replica with no load, held for 6 s in a row (longer than the 5 s down window), so
  # the autoscaler agrees and does not scale the last step's load up again during the c=1 phase.
  ok=false; held=0
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"serviceName":"echo","replicas":1,"namespace":"openfaas-fn"}' "$CONTROLLER_URL/system/scale-function/echo?namespace=openfaas-fn"
    if [ "$(available)" = 1 ] && [ "$(replicas)" = 1 ]; then held=$((held + 1)); else held=0; fi
    [ "$held" -ge 12 ] && { ok=true; break; }
    sleep 0.5
  done
  $ok || { echo "bench: echo did not return to 1 replica" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }

  wrk -t1 -c1 -d3s -s "$ROOT/bench/post-ping.lua" "$GATEWAY_URL/function/echo" >/dev/null
  [ "$(available)" = 1 ] || { echo "bench: c=1 already scaled echo up" >&2; exit 1; }

  wrk -t2 -c8 -d60s -s "$ROOT/bench/post-ping.lua" "$GATEWAY_URL/function/echo" >"$WORK/wrk.log" 2>&1 &
  WRK_PID=$!
  t0=$(now_ms); t2=; t3=
  for _ in $(seq 1 1200); do
    n=$(available)
    [ -z "$t2" ] && [ "$n" -ge 2 ] && t2=$(now_ms)
    [ "$n" -ge 3 ] && { t3=$(now_ms); break; }
    sleep 0.05
  done
  stop_wrk
  [ -n "$t2" ] && [ -n "$t3" ] || { echo "bench: sample $i did not reach 3 replicas" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }
  log "sample $i: 2nd replica ready after $((t2 - t0)) ms, 3rd after $((t3 - t0)) ms"
  TO2+=("$((t2 - t0))"); TO3+=("$((t3 - t0))"); T0S+=("$t0:$t2")
done

summary() {
  sort -n | awk -v what="$1" '
    { v[NR] = $1 }
    END { printf "%s, %d samples: p50 %d ms, min %d ms, max %d ms\n", what, NR, v[int((NR + 1) / 2)], v[1], v[NR] }'
}
printf '%s\n' "${TO2[@]}" | summary "$BACKEND: load step c=1 -> c=8 to the 2nd replica ready"
printf '%s\n' "${TO3[@]}" | summary "$BACKEND: load step c=1 -> c=8 to the 3rd replica ready (max)"

# Breakdown of the 2nd replica per sample, from controller.log.
printf '%s\n' "${T0S[@]}" | python3 -c '
import datetime, re, sys
lines = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) ", line)
    if m:
        ms = int(datetime.datetime.fromisoformat(m.group(1)).timestamp() * 1000)
        lines.append((ms, line))
    elif lines:  # the message is on the next line of the console format
        lines[-1] = (lines[-1][0], lines[-1][1] + line)
rows = []
for sample in sys.stdin.read().split():
    t0, t2 = map(int, sample.split(":"))
    decided = next((ms for ms, l in lines if ms >= t0 and re.search(r"Scaled echo\.openfaas-fn 1 -> [23]", l)), None)
    ready = next((ms for ms, l in lines if decided and ms >= decided - 50 and re.search(r"-> Ready|is ready \(start probe\)", l)), None)
    if decided is None or ready is None:
        print(f"  (a sample without a scale-up or ready line in controller.log)"); continue
    rows.append((decided - t0, ready - decided, t2 - ready))
for i, (d, r, o) in enumerate(rows, 1):
    print(f"  sample {i}: step -> scale-up decision {d} ms, -> replica ready {r} ms, -> seen by the poll {o} ms")
if rows:
    med = lambda v: sorted(v)[(len(v) - 1) // 2]
    print("'"$BACKEND"': 2nd replica, p50 of each part: decision %d ms, replica start %d ms, poll %d ms" % tuple(med([r[k] for r in rows]) for k in range(3)))
' "$WORK/controller.log"
