# Shared by the bench/*.sh scripts (sourced, not run): tools, build, a temporary work folder
# whose processes are always stopped, and the controller + gateway + echo set-up on free
# loopback ports. Each script sets `set -euo pipefail` and calls bench_init first.

log() { printf '==> %s\n' "$*" >&2; }

# bench_init NAME: ROOT, CONFIGURATION, WORK (removed on exit, KEEP_LOGS=dir keeps its *.log).
bench_init() {
  trap 'echo "bench: failed at line $LINENO" >&2' ERR
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  ROOT="$(pwd)"
  CONFIGURATION=Release
  WORK=$(mktemp -d "/tmp/faas-bench-$1.XXXXXX")
  PIDS=()
  mkdir -p "$WORK/state" "$WORK/artifacts"
  trap bench_cleanup EXIT
}

# need_tools COMMAND[:PACKAGE] ...: installs the Debian packages of the missing commands.
need_tools() {
  local missing=() tool
  for tool in "$@"; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# build_platform [EXTRA_PROJECT ...]: Release builds of the deployables (and extra projects).
build_platform() {
  log "building (Release)"
  local project
  for project in gateway/Faas.Gateway.csproj controller/Faas.Controller.csproj watchdog/Faas.Watchdog.csproj cli/Faas.Cli.csproj "$@"; do
    dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet >/dev/null
  done
}

out() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$2"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
    shuf -i 20000-60000 -n 1
}

wait_url() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "bench: $1 did not answer" >&2
  return 1
}

stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

bench_cleanup() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}

# publish_watchdog_r2r: a ReadyToRun (precompiled, framework-dependent) publish of the watchdog in
# $WORK/watchdog-r2r; sets WATCHDOG_PATH to it for start_controller.
publish_watchdog_r2r() {
  log "publishing the watchdog with ReadyToRun"
  dotnet publish watchdog/Faas.Watchdog.csproj -c "$CONFIGURATION" -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o "$WORK/watchdog-r2r" -nologo -v quiet >/dev/null
  WATCHDOG_PATH="$WORK/watchdog-r2r/Faas.Watchdog.dll"
}

# start_controller [KEY=VALUE ...]: the controller (process backend) on a free port; sets
# CONTROLLER_PORT, CONTROLLER_URL and CONTROLLER_PID. WATCHDOG_PATH overrides the watchdog run.
start_controller() {
  CONTROLLER_PORT=$(free_port)
  CONTROLLER_URL="http://127.0.0.1:$CONTROLLER_PORT"
  env port="$CONTROLLER_PORT" bind_address=127.0.0.1 state_dir="$WORK/state" artifact_store="$WORK/artifacts" \
    watchdog_path="${WATCHDOG_PATH:-$(out watchdog Faas.Watchdog.dll)}" "$@" \
    dotnet "$(out controller Faas.Controller.dll)" >"$WORK/controller.log" 2>&1 &
  CONTROLLER_PID=$!
  PIDS+=("$CONTROLLER_PID")
  wait_url "$CONTROLLER_URL/healthz"
}

# start_gateway LOG_NAME [KEY=VALUE ...]: a gateway in front of the controller, metrics on a free
# port (GATEWAY_METRICS_PORT to choose it); GATEWAY_ENV="K=V ..." adds settings (runtime knobs for experiments). Sets GATEWAY_PORT,
# GATEWAY_URL and GATEWAY_PID.
start_gateway() {
  local name=$1
  shift
  GATEWAY_PORT=$(free_port)
  GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
  # shellcheck disable=SC2086
  env port="$GATEWAY_PORT" metrics_port="${GATEWAY_METRICS_PORT:-$(free_port)}" bind_address=127.0.0.1 functions_provider_url="$CONTROLLER_URL" \
    "$@" ${GATEWAY_ENV:-} \
    dotnet "$(out gateway Faas.Gateway.dll)" >"$WORK/$name.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
  wait_url "$GATEWAY_URL/healthz"
}

# deploy_echo: builds and deploys samples/echo with the real faas-cli, waits until it answers.
deploy_echo() {
  log "deploying echo"
  (cd samples && FAAS_ARTIFACT_STORE="$WORK/artifacts" NUGET_PACKAGES="$WORK/nuget" OPENFAAS_CONFIG="$WORK/openfaas" \
    dotnet "$(out cli faas-cli.dll)" up -f stack.yml --gateway "$GATEWAY_URL") >"$WORK/deploy.log" 2>&1 ||
    { cat "$WORK/deploy.log" >&2; return 1; }
  for _ in $(seq 1 300); do
    [ "$(curl -s -d ping "$GATEWAY_URL/function/echo")" = "ping" ] && return 0
    sleep 0.2
  done
  echo "bench: echo did not answer" >&2
  return 1
}

# Docker benchmarks: a private dockerd unless one answers (stopped last, its mounts released), then
# the local base images and the echo sample's image (samples/stack.yml: echo:latest).
docker_bench_setup() {
  trap docker_bench_cleanup EXIT
  if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    log "starting a private dockerd in $WORK/docker"
    mkdir -p "$WORK/docker"
    export DOCKER_HOST="unix://$WORK/docker/docker.sock"
    dockerd --host "$DOCKER_HOST" --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" \
      --pidfile "$WORK/docker/docker.pid" --bridge=none --iptables=false --shutdown-timeout=2 \
      --containerd-namespace "faas-bench-$$" --containerd-plugins-namespace "faas-bench-$$-plugins" \
      --default-address-pool "base=10.$((100 + RANDOM % 100)).0.0/16,size=24" >"$WORK/dockerd.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
    docker version --format '{{.Server.Version}}' >/dev/null
  fi
  log "docker: ${DOCKER_HOST:-unix:///var/run/docker.sock} ($(docker version --format '{{.Server.Version}}'))"

  log "building base images and the echo image"
  scripts/build-base-images.sh >"$WORK/base-images.log" 2>&1 || { cat "$WORK/base-images.log" >&2; exit 1; }
  (cd samples && FAAS_ARTIFACT_STORE="$WORK/artifacts" NUGET_PACKAGES="$WORK/nuget" \
    dotnet "$(out cli faas-cli.dll)" build -f stack.yml --engine docker) >"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log" >&2; exit 1; }
}

docker_bench_cleanup() {
  local i
  # Controller and gateway first, then the private dockerd (started first); then its mounts.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  grep " $WORK/" /proc/mounts | awk '{ print $2 }' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  bench_cleanup
}

# Controller (with an autoscaler driven by a real Prometheus) and gateway, the platform the
# autoscaling benchmarks use; extra controller settings as arguments.
start_autoscaled_platform() {
  METRICS_PORT=$(free_port)
  PROMETHEUS_PORT=$(free_port)
  log "starting controller, gateway and Prometheus"
  start_controller gateway_metrics_target="127.0.0.1:$METRICS_PORT" prometheus_url="http://127.0.0.1:$PROMETHEUS_PORT" autoscaler_interval=500ms "$@"
  GATEWAY_METRICS_PORT=$METRICS_PORT start_gateway gateway ready_wait_timeout=60s
  prometheus --config.file="$WORK/state/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$WORK/prometheus.log" 2>&1 &
  PIDS+=("$!")
  wait_url "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

# Redeploys echo with extra labels, given as a JSON object: relabel_echo '{"com.openfaas.scale.max": "2"}'.
relabel_echo() {
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' "$CONTROLLER_URL/system/functions" \
    -d "$(curl -fsS "$CONTROLLER_URL/system/function/echo?namespace=openfaas-fn" | EXTRA_LABELS="$1" python3 -c '
import json, os, sys
f = json.load(sys.stdin)
labels = f.get("labels") or {}
labels.update(json.loads(os.environ["EXTRA_LABELS"]))
print(json.dumps({"service": "echo", "image": f["image"], "namespace": "openfaas-fn", "labels": labels, "envVars": f.get("envVars"), "annotations": f.get("annotations")}))')"
}
