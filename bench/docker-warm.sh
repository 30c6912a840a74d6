#!/usr/bin/env bash
# Warm-tier benchmark on the Docker backend: time from a request to a function whose replica
# container is paused (`docker pause`, the warm tier) to its 200, through the gateway, which holds
# the call and asks the controller to resume; the controller unpauses the container and publishes
# it as ready at once, and the gateway forwards.
# The real path: Prometheus scrapes the gateway, the autoscaler pauses the C# template image of
# samples/echo after com.openfaas.scale.pause-duration=1s of no load. Each sample waits until the
# replica container is paused, then times one POST with curl -w and checks that the same container
# answered. A sample takes ~12 s (the 10 s load rate has to fall to zero first). Uses DOCKER_HOST
# when it answers, else starts a private dockerd and stops it by PID at the end.
# DOCKER_FREEZER (auto, cgroup, api; default auto) is passed as the controller's docker_freezer: auto
# freezes through the cgroup freezer files when run as root on the daemon's host, else docker pause.
# Usage: bench/docker-warm.sh   (SAMPLES=30 to change the sample count)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init docker-warm
SAMPLES="${SAMPLES:-30}"
DOCKER_FREEZER="${DOCKER_FREEZER:-auto}"
NETWORK="faas-bench-$$"

need_tools curl prometheus docker:docker.io busybox:busybox-static
build_platform

docker_bench_setup

METRICS_PORT=$(free_port)
PROMETHEUS_PORT=$(free_port)
log "starting controller (backend=docker), gateway and Prometheus"
start_controller backend=docker docker_network="$NETWORK" replica_drain_timeout=1s docker_freezer="$DOCKER_FREEZER" \
  gateway_metrics_target="127.0.0.1:$METRICS_PORT" prometheus_url="http://127.0.0.1:$PROMETHEUS_PORT" autoscaler_interval=500ms
GATEWAY_METRICS_PORT=$METRICS_PORT start_gateway gateway ready_wait_timeout=60s
prometheus --config.file="$WORK/state/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=("$!")
wait_url "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"

curl -fsS -o /dev/null -X POST "$CONTROLLER_URL/system/functions" -d '{"service":"echo","image":"echo:latest",
  "labels":{"com.openfaas.scale.pause-duration":"1s","com.openfaas.scale.max":"2"}}'
for _ in $(seq 1 300); do [ "$(curl -s -d ping "$GATEWAY_URL/function/echo")" = ping ] && break; sleep 0.2; done

replica() { docker ps -q --no-trunc --filter label=com.faas.function=echo --filter label=com.faas.role=replica | head -n 1; }

# Frozen: docker paused (api mode), or its cgroup's freezer says so (cgroup mode; Docker then says running).
frozen() {
  local cid=$1 pid line ctl path root
  [ "$(docker inspect -f '{{.State.Paused}}' "$cid" 2>/dev/null)" = true ] && return 0
  pid=$(docker inspect -f '{{.State.Pid}}' "$cid" 2>/dev/null) || return 1
  [ "${pid:-0}" -gt 0 ] || return 1
  if line=$(grep -E '^[0-9]+:([^:]*,)?freezer(,[^:]*)?:' "/proc/$pid/cgroup" 2>/dev/null); then
    ctl=$(cut -d: -f2 <<<"$line"); path=$(cut -d: -f3- <<<"$line")
    grep -qE '^(FROZEN|FREEZING)$' "/sys/fs/cgroup/$ctl$path/freezer.state" 2>/dev/null
    return
  fi
  path=$(grep '^0::' "/proc/$pid/cgroup" 2>/dev/null | cut -d: -f3-) || return 1
  root=/sys/fs/cgroup; [ -f "$root/cgroup.controllers" ] || root="$root/unified"
  grep -qx 'frozen 1' "$root$path/cgroup.events" 2>/dev/null
}

TIMES=()
for i in $(seq 1 "$SAMPLES"); do
  paused=false
  for _ in $(seq 1 600); do
    cid=$(replica || true)
    if [ -n "$cid" ] && frozen "$cid"; then paused=true; break; fi
    sleep 0.1
  done
  $paused || { echo "bench: echo's container was not paused" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }
  sleep 0.2 # the endpoint stream has long carried "paused" (it is published before the pause)
  result=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' --max-time 60 -d ping "$GATEWAY_URL/function/echo")
  code=${result%% *}; seconds=${result##* }
  [ "$code" = 200 ] && [ "$(cat "$WORK/body")" = ping ] || { echo "bench: sample $i answered $code" >&2; tail -n 20 "$WORK/gateway.log" >&2; exit 1; }
  [ "$(replica)" = "$cid" ] || { echo "bench: sample $i was not served by the resumed container" >&2; exit 1; }
  ms=$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')
  log "sample $i: ${ms} ms"
  TIMES+=("$ms")
done

curl -fsS -o /dev/null -X DELETE -d '{"functionName":"echo"}' "$CONTROLLER_URL/system/functions"
log "freezer: $(grep -h -A1 'DockerBackend\[618\]' "$WORK/controller.log" | tail -n 1 | sed 's/^ *//')"
printf '%s\n' "${TIMES[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END {
    p50 = v[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
    printf "Docker warm tier (paused container) through the gateway, %d samples: p50 %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms\n", NR, p50, v[i99], v[1], v[NR]
  }'
