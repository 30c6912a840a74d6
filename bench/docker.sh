#!/usr/bin/env bash
# Docker backend benchmark: for the C# template image of samples/echo (built with
# `faas-cli build --engine docker`), SAMPLES times each:
#   deploy  time from POST /system/functions to the first 200 through the gateway (the call is sent
#           right after the deploy answers; the gateway holds it until a replica is ready)
#   scale   time from a call to the function at zero replicas to its 200 through the gateway (the
#           gateway asks for one replica: container create + start + ready + the call)
#   floor   the same image created and started through the Engine API (curl on the socket, the raw
#           equivalent of `docker run -d`) on the same network, polled on its bridge IP with curl
#           every 10 ms until the first 200 (no platform involved)
# Reports p50/p99/min/max in ms. Uses DOCKER_HOST when it answers, else starts a private dockerd
# (own socket, data root, no iptables changes) and stops it by PID at the end.
# Usage: bench/docker.sh   (SAMPLES=30 to change the sample count; DOCKER_SANDBOX=false to compare
#        standbys without a sandbox)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init docker
SAMPLES="${SAMPLES:-30}"
NETWORK="faas-bench-$$"

need_tools curl docker:docker.io busybox:busybox-static
build_platform

now_ms() { echo $(($(date +%s%N) / 1000000)); }

docker_bench_setup
IMAGE="echo:latest" # samples/stack.yml

log "starting controller (backend=docker) and gateway"
start_controller backend=docker docker_network="$NETWORK" replica_drain_timeout=1s docker_sandbox="${DOCKER_SANDBOX:-true}"
start_gateway gateway ready_wait_timeout=60s

deploy() { curl -fsS -o /dev/null -X POST -d "{\"service\":\"$1\",\"image\":\"$IMAGE\"}" "$CONTROLLER_URL/system/functions"; }
remove() { curl -fsS -o /dev/null -X DELETE -d "{\"functionName\":\"$1\"}" "$CONTROLLER_URL/system/functions"; }
call() { curl -fsS --max-time 60 -d ping "$GATEWAY_URL/function/$1"; }
replicas_running() { docker ps -q --filter "label=com.faas.function=$1" --filter label=com.faas.role=replica | wc -l; }
standbys() { docker ps -aq --filter "label=com.faas.function=$1" --filter label=com.faas.standby=true --filter status=created | wc -l; }

report() {
  sort -n | awk -v what="$1" '
    { v[NR] = $1 }
    END {
      p50 = v[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 > NR) i99 = NR
      printf "%-44s %d samples: p50 %d ms, p99 %d ms, min %d ms, max %d ms\n", what, NR, p50, v[i99], v[1], v[NR]
    }'
}

# A function that stays deployed keeps the network in place (the last removal deletes it).
deploy scl
[ "$(call scl)" = ping ]

# 1. Deploy to first 200.
DEPLOY=()
for i in $(seq 1 "$SAMPLES"); do
  name="dep-$i"
  t0=$(now_ms)
  deploy "$name"
  [ "$(call "$name")" = ping ] || { echo "bench: $name did not answer ping" >&2; tail -n 20 "$WORK/controller.log" >&2; exit 1; }
  ms=$(($(now_ms) - t0))
  log "deploy sample $i: $ms ms"
  DEPLOY+=("$ms")
  remove "$name"
done
# (remove answers after the containers are gone)

# 2. Scale 0 -> 1 through the gateway.
SCALE=()
for i in $(seq 1 "$SAMPLES"); do
  curl -fsS -o /dev/null -X POST -d '{"serviceName":"scl","replicas":0}' "$CONTROLLER_URL/system/scale-function/scl"
  for _ in $(seq 1 300); do [ "$(replicas_running scl)" = 0 ] && break; sleep 0.1; done
  # An idle function has had its standby made long before it reaches zero: wait for it (the bench
  # scales down right after the wake).
  for _ in $(seq 1 300); do [ "$(standbys scl)" = 1 ] && break; sleep 0.1; done
  sleep 1 # the endpoint stream carries "0 desired" to the gateway
  t0=$(now_ms)
  [ "$(call scl)" = ping ] || { echo "bench: scl did not answer ping" >&2; exit 1; }
  ms=$(($(now_ms) - t0))
  log "scale 0->1 sample $i: $ms ms"
  SCALE+=("$ms")
done

# 3. Floor: the same image created and started through the Engine API (as the controller does, but
#    with nothing around it), first 200 on its bridge IP. curl, not the docker CLI, so no Go binary
#    start-up per step is counted.
case "${DOCKER_HOST:-unix:///var/run/docker.sock}" in
  unix://*) api() { curl -fsS --unix-socket "${DOCKER_HOST#unix://}" -H 'Content-Type: application/json' "$@"; }; API=http://docker ;;
  tcp://*) api() { curl -fsS -H 'Content-Type: application/json' "$@"; }; API="http://${DOCKER_HOST#tcp://}" ;;
esac
[ -n "${DOCKER_HOST:-}" ] || { api() { curl -fsS --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' "$@"; }; API=http://docker; }
FLOOR=()
for i in $(seq 1 "$SAMPLES"); do
  t0=$(now_ms)
  cid=$(api -X POST -d "{\"Image\":\"$IMAGE\",\"User\":\"12000:12000\",\"Labels\":{\"faas.bench\":\"$$\"},\"HostConfig\":{\"NetworkMode\":\"$NETWORK\"}}" "$API/containers/create" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
  api -X POST "$API/containers/$cid/start"
  ip=$(api "$API/containers/$cid/json" | grep -o '"IPAddress":"[0-9][0-9.]*"' | head -n1 | cut -d'"' -f4)
  until [ "$(curl -s --max-time 1 -d ping "http://$ip:8080/" 2>/dev/null)" = ping ]; do sleep 0.01; done
  ms=$(($(now_ms) - t0))
  log "engine API create+start sample $i: $ms ms"
  FLOOR+=("$ms")
  api -X DELETE "$API/containers/$cid?force=true"
done
remove scl

echo
printf '%s\n' "${DEPLOY[@]}" | report "deploy -> first 200 (through the gateway)"
printf '%s\n' "${SCALE[@]}" | report "scale 0 -> 1 -> 200 (through the gateway)"
printf '%s\n' "${FLOOR[@]}" | report "create+start -> first 200 (floor)"
