#!/usr/bin/env bash
# Builds the platform and starts, on loopback: nats-server (JetStream, for async calls), the
# controller, the gateway, and Prometheus (metrics and autoscaling); deploys the sample function
# `echo`, logs faas-cli in and stays in the foreground.
# Backend: docker when a Docker engine answers (DOCKER_HOST, else the local socket) and the base
# images build, the process backend otherwise; FAAS_BACKEND=process|docker forces one.
# Ctrl-C or SIGTERM stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

CONFIGURATION="${CONFIGURATION:-Release}"
GATEWAY_PORT="${FAAS_GATEWAY_PORT:-8080}"
CONTROLLER_PORT="${FAAS_CONTROLLER_PORT:-8081}"
METRICS_PORT="${FAAS_GATEWAY_METRICS_PORT:-8082}"
NATS_PORT="${FAAS_NATS_PORT:-4222}"
PROMETHEUS_PORT="${FAAS_PROMETHEUS_PORT:-9090}"
FAAS_DIR="$ROOT/.faas"
BIN_DIR="$FAAS_DIR/bin"
LOG_DIR="$FAAS_DIR/logs"
GATEWAY_URL="http://127.0.0.1:${GATEWAY_PORT}"
CONTROLLER_URL="http://127.0.0.1:${CONTROLLER_PORT}"

log() { printf '==> %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet was not found on PATH)"

# Debian packages: curl for this script, nats-server and prometheus for async calls and
# autoscaling. Without them the platform still runs (sync calls only, no autoscaling).
missing=()
for tool in curl:curl nats-server:nats-server prometheus:prometheus; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null 2>&1 ||
    log "could not install ${missing[*]}; continuing without them"
fi
command -v curl >/dev/null 2>&1 || die "curl is required"

BACKEND="${FAAS_BACKEND:-}"
case "$BACKEND" in
  "" | process | docker) ;;
  *) die "FAAS_BACKEND must be process or docker, got '$BACKEND'" ;;
esac
DOCKER_ENDPOINT="${DOCKER_HOST:-unix:///var/run/docker.sock}"
docker_answers() { command -v docker >/dev/null 2>&1 && docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if [ -z "$BACKEND" ]; then
  if docker_answers; then
    BACKEND=docker BACKEND_REASON="a Docker engine answers at $DOCKER_ENDPOINT"
  else
    BACKEND=process BACKEND_REASON="no Docker engine answers at $DOCKER_ENDPOINT"
  fi
else
  BACKEND_REASON="FAAS_BACKEND=$BACKEND"
  [ "$BACKEND" = process ] || docker_answers || die "FAAS_BACKEND=docker, but no Docker engine answers at $DOCKER_ENDPOINT (start dockerd or set DOCKER_HOST)"
fi

for port in "$GATEWAY_PORT" "$CONTROLLER_PORT" "$METRICS_PORT" "$NATS_PORT" "$PROMETHEUS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is in use; set FAAS_GATEWAY_PORT, FAAS_CONTROLLER_PORT, FAAS_GATEWAY_METRICS_PORT, FAAS_NATS_PORT or FAAS_PROMETHEUS_PORT"
  fi
done

mkdir -p "$FAAS_DIR" "$BIN_DIR" "$LOG_DIR" "$FAAS_DIR/state" "$FAAS_DIR/nats" "$FAAS_DIR/prometheus/consoles" "$FAAS_DIR/prometheus/console_libraries"

log "building gateway, controller, watchdog and faas-cli (${CONFIGURATION})"
for project in gateway/Faas.Gateway.csproj controller/Faas.Controller.csproj watchdog/Faas.Watchdog.csproj cli/Faas.Cli.csproj; do
  dotnet build "$project" -c "$CONFIGURATION" -nologo -v quiet >"$LOG_DIR/build.log" 2>&1 ||
    { cat "$LOG_DIR/build.log" >&2; die "build of $project failed"; }
done
out() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0/$2"; }

if [ "$BACKEND" = docker ]; then
  # faas/dotnet-runtime + faas/watchdog, made offline from this machine's .NET (kept once built).
  log "building the base images on $DOCKER_ENDPOINT (scripts/build-base-images.sh)"
  if ! CONFIGURATION="$CONFIGURATION" scripts/build-base-images.sh >"$LOG_DIR/base-images.log" 2>&1; then
    tail -n 20 "$LOG_DIR/base-images.log" >&2
    [ -z "${FAAS_BACKEND:-}" ] || die "building the base images failed (log: $LOG_DIR/base-images.log)"
    BACKEND=process BACKEND_REASON="the base images did not build on $DOCKER_ENDPOINT (log: $LOG_DIR/base-images.log)"
  fi
fi
log "backend: $BACKEND ($BACKEND_REASON)"

# The process backend runs a ReadyToRun publish of the watchdog: precompiled code takes about
# 100 ms off a replica's cold start (bench/README.md). The build output is used when the
# publish cannot run (an unknown CPU, or no runtime pack from NuGet).
WATCHDOG_DLL="$(out watchdog Faas.Watchdog.dll)"
if [ "$BACKEND" = process ]; then
  case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64) RID=linux-arm64 ;; *) RID= ;; esac
  if [ -n "$RID" ] && dotnet publish watchdog/Faas.Watchdog.csproj -c "$CONFIGURATION" -r "$RID" --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o "$FAAS_DIR/watchdog" -nologo -v quiet >"$LOG_DIR/publish-watchdog.log" 2>&1; then
    WATCHDOG_DLL="$FAAS_DIR/watchdog/Faas.Watchdog.dll"
  else
    log "ReadyToRun publish of the watchdog failed (see $LOG_DIR/publish-watchdog.log); using the build output"
  fi
fi

# faas-cli on PATH through a small wrapper (see the README for installing it as a .NET tool).
cat >"$BIN_DIR/faas-cli" <<WRAPPER
#!/usr/bin/env bash
exec dotnet "$(out cli faas-cli.dll)" "\$@"
WRAPPER
chmod +x "$BIN_DIR/faas-cli"
export PATH="$BIN_DIR:$PATH"

# The admin's credentials, generated once and kept in .faas/ (ignored by git).
[ -s "$FAAS_DIR/basic-auth-user" ] || echo -n admin >"$FAAS_DIR/basic-auth-user"
if [ ! -s "$FAAS_DIR/basic-auth-password" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$FAAS_DIR/basic-auth-password")
fi
chmod 600 "$FAAS_DIR/basic-auth-password"

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  # Gateway first so no call reaches a stopping controller; the controller stops its replicas.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_healthy() {
  local url=$1 name=$2 pid=$3
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$LOG_DIR/$name.log" >&2; die "$name exited during start-up (log: $LOG_DIR/$name.log)"; }
    curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$name did not become healthy in 60s (log: $LOG_DIR/$name.log)"
}

# Optional parts: each one's settings are passed on only when it is running.
GATEWAY_EXTRA=()
CONTROLLER_EXTRA=()
PROMETHEUS_URL="http://127.0.0.1:${PROMETHEUS_PORT}"
if command -v nats-server >/dev/null 2>&1; then
  log "starting nats-server (JetStream) on 127.0.0.1:$NATS_PORT"
  nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$FAAS_DIR/nats" >"$LOG_DIR/nats.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break; sleep 0.1; done
  GATEWAY_EXTRA+=(nats_url="nats://127.0.0.1:$NATS_PORT")
fi
if command -v prometheus >/dev/null 2>&1; then
  GATEWAY_EXTRA+=(prometheus_url="$PROMETHEUS_URL")
  CONTROLLER_EXTRA+=(prometheus_url="$PROMETHEUS_URL" gateway_metrics_target="127.0.0.1:$METRICS_PORT")
fi

if [ "$BACKEND" = docker ]; then
  # Replicas are containers on the faas-functions bridge; the gateway (on this host) calls their bridge IPs.
  CONTROLLER_EXTRA+=(backend=docker docker_host="$DOCKER_ENDPOINT")
  # faas-cli build/up then also build the function's image on the daemon.
  export FAAS_BUILD_ENGINE=docker
fi

log "starting controller on $CONTROLLER_URL (backend: $BACKEND)"
env port="$CONTROLLER_PORT" bind_address=127.0.0.1 basic_auth=true secret_mount_path="$FAAS_DIR" \
  state_dir="$FAAS_DIR/state" watchdog_path="$WATCHDOG_DLL" "${CONTROLLER_EXTRA[@]}" \
  dotnet "$(out controller Faas.Controller.dll)" >"$LOG_DIR/controller.log" 2>&1 &
PIDS+=($!)
wait_healthy "$CONTROLLER_URL" controller "${PIDS[-1]}"

if command -v prometheus >/dev/null 2>&1; then
  # The controller wrote the scrape configuration for the gateway's metrics port.
  log "starting prometheus on $PROMETHEUS_URL"
  prometheus --config.file="$FAAS_DIR/state/prometheus.yml" --storage.tsdb.path="$FAAS_DIR/prometheus/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.console.templates="$FAAS_DIR/prometheus/consoles" --web.console.libraries="$FAAS_DIR/prometheus/console_libraries" \
    >"$LOG_DIR/prometheus.log" 2>&1 &
  PIDS+=($!)
fi

log "starting gateway on $GATEWAY_URL (metrics on 127.0.0.1:$METRICS_PORT)"
env port="$GATEWAY_PORT" bind_address=127.0.0.1 functions_provider_url="$CONTROLLER_URL" \
  basic_auth=true secret_mount_path="$FAAS_DIR" metrics_port="$METRICS_PORT" "${GATEWAY_EXTRA[@]}" \
  dotnet "$(out gateway Faas.Gateway.dll)" >"$LOG_DIR/gateway.log" 2>&1 &
PIDS+=($!)
wait_healthy "$GATEWAY_URL" gateway "${PIDS[-1]}"

export OPENFAAS_URL="$GATEWAY_URL"
log "logging faas-cli in as admin"
faas-cli login --username admin --password-stdin --gateway "$GATEWAY_URL" <"$FAAS_DIR/basic-auth-password" >/dev/null

log "building and deploying the sample function 'echo'"
(cd samples && faas-cli up -f stack.yml --gateway "$GATEWAY_URL") >"$LOG_DIR/deploy-echo.log" 2>&1 ||
  { tail -n 40 "$LOG_DIR/deploy-echo.log" >&2; die "deploying echo failed (log: $LOG_DIR/deploy-echo.log)"; }
for _ in $(seq 1 300); do
  [ "$(curl -s -d ping "$GATEWAY_URL/function/echo" 2>/dev/null)" = "ping" ] && break
  sleep 0.2
done

cat <<MSG

  The platform is running ($BACKEND backend: $BACKEND_REASON). Gateway: $GATEWAY_URL
  Admin user: admin, password in .faas/basic-auth-password
  Logs: $LOG_DIR/    Metrics: http://127.0.0.1:$METRICS_PORT/metrics    Prometheus: $PROMETHEUS_URL

  Try:
    export PATH="$BIN_DIR:\$PATH" OPENFAAS_URL=$GATEWAY_URL${FAAS_BUILD_ENGINE:+ FAAS_BUILD_ENGINE=$FAAS_BUILD_ENGINE}
    curl -d 'ping' $GATEWAY_URL/function/echo
    curl -i -d 'ping' -H 'X-Callback-Url: http://127.0.0.1:9999/' $GATEWAY_URL/async-function/echo
    faas-cli list
    faas-cli new greet --lang csharp && faas-cli up -f greet.yml
    curl -d 'world' $GATEWAY_URL/function/greet
    faas-cli logs echo

  Ctrl-C stops everything.${FAAS_BUILD_ENGINE:+ Function containers keep running and are adopted on the next start
  (faas-cli remove deletes them).}

MSG

# Stay in the foreground until a component exits or we are told to stop.
wait -n "${PIDS[@]}"
die "a component exited unexpectedly; see $LOG_DIR/"
