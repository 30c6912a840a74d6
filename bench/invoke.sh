#!/usr/bin/env bash
# Sync invoke benchmark: requests/s and p50/p99 latency for the trivial `echo` C# handler,
#   (a) straight to one watchdog replica, (b) through our gateway, (c) through nginx in front of
#   the same replica. Each target gets a throughput run (many connections) and a latency run
#   (one connection, so the added hop is visible without queueing).
# Usage: bench/invoke.sh   (DURATION=15s CONNECTIONS=64 THREADS=2 ROUNDS=3 to change the load)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init invoke
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"

need_tools wrk nginx curl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
build_platform
NGINX_PORT=$(free_port)

log "starting controller and gateway"
start_controller
start_gateway gateway
deploy_echo

# The replica's own address, from the controller's endpoint stream.
# The stream never ends: curl is cut off by --max-time or by head, hence the "|| true".
REPLICA=$({ curl -sN --max-time 2 "$CONTROLLER_URL/system/endpoints" 2>/dev/null || true; } | head -n 1 |
  grep -o '"url":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$REPLICA" ] || { echo "bench: no ready replica in the endpoint stream" >&2; exit 1; }

cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream replica { server ${REPLICA#http://}; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://replica;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
wait_url "http://127.0.0.1:$NGINX_PORT/_/health"

# run_wrk URL THREADS CONNECTIONS -> "rps p50 p99" (latencies in ms)
run_wrk() {
  local raw
  raw=$(wrk -t"$2" -c"$3" -d"$DURATION" --latency -s "$ROOT/bench/post-ping.lua" "$1")
  echo "$raw" >>"$WORK/wrk.log"
  local rps p50 p99 errors
  rps=$(echo "$raw" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$raw" | awk '$1=="50%" {print $2}')
  p99=$(echo "$raw" | awk '$1=="99%" {print $2}')
  errors=$(echo "$raw" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  [ -z "$errors" ] || log "errors against $1: $errors"
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else print v }'
}

declare -A URLS=(
  [watchdog]="$REPLICA/"
  [gateway]="$GATEWAY_URL/function/echo"
  [nginx]="http://127.0.0.1:$NGINX_PORT/"
)
TARGETS=(watchdog gateway nginx)
for target in "${TARGETS[@]}"; do
  log "warming up $target"
  wrk -t1 -c8 -d3s -s "$ROOT/bench/post-ping.lua" "${URLS[$target]}" >/dev/null
done

# Rounds interleave the targets so that drift in the machine's speed (a shared VM) hits all alike;
# the table reports the median of the rounds.
declare -A SAMPLES
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    log "round $round/$ROUNDS: $target throughput (-t$THREADS -c$CONNECTIONS -d$DURATION)"
    SAMPLES[$target,tput]+="$(run_wrk "${URLS[$target]}" "$THREADS" "$CONNECTIONS");"
    log "round $round/$ROUNDS: $target latency (-t1 -c1 -d$DURATION)"
    SAMPLES[$target,lat]+="$(run_wrk "${URLS[$target]}" 1 1);"
  done
done

# median TARGET KIND FIELD -> the median over the rounds of one column of run_wrk's output
median() {
  echo "${SAMPLES[$1,$2]}" | tr ';' '\n' | awk -v i="$3" 'NF {print $i}' | sort -g |
    awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

echo
echo "Median of $ROUNDS rounds, $DURATION each; wrk -t$THREADS -c$CONNECTIONS for throughput, -t1 -c1 for latency."
echo
echo "| target | req/s (c=$CONNECTIONS) | p50 ms | p99 ms | req/s (c=1) | p50 ms (c=1) | p99 ms (c=1) |"
echo "|---|---|---|---|---|---|---|"
for target in "${TARGETS[@]}"; do
  echo "| $target | $(median "$target" tput 1) | $(median "$target" tput 2) | $(median "$target" tput 3) |" \
    "$(median "$target" lat 1) | $(median "$target" lat 2) | $(median "$target" lat 3) |"
done
echo
echo "gateway added p50 latency at c=1: $(awk -v a="$(median gateway lat 2)" -v b="$(median watchdog lat 2)" 'BEGIN {printf "%.3f", a - b}') ms"
echo "gateway / nginx throughput at c=$CONNECTIONS: $(awk -v a="$(median gateway tput 1)" -v b="$(median nginx tput 1)" 'BEGIN {printf "%.2f", a / b}')"
