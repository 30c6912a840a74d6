#!/usr/bin/env bash
# Checks the Dockerfiles' default targets (`release`: publish from source inside an SDK image), which
# the offline scripts and the test suite never use (they take `--target local`). No SDK image can be
# pulled here, so one is made from this host's SDK (/usr/share/dotnet on the imported runtime image);
# the builds reach NuGet through the host's network (`docker build --network host`). Builds
# faas-src/{watchdog,gateway,controller}:test on a private dockerd (bench/lib.sh starts it and stops it
# by PID), prints build time, user and size of each, and starts the controller image once.
# Takes ~3 min; not part of ./test.sh (it needs NuGet from inside Docker). Usage:
#   scripts/check-images-from-source.sh
set -euo pipefail
source "$(dirname "$0")/../bench/lib.sh"
bench_init fromsource
build_platform
docker_bench_setup
ctx="$WORK/sdk-context"; mkdir -p "$ctx"
cp -a /usr/share/dotnet "$ctx/dotnet"
printf 'FROM faas/dotnet-runtime:10.0\nUSER root\nCOPY dotnet/ /usr/share/dotnet/\nENV HOME=/root DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1\nRUN mkdir -p /root && dotnet --version\n' > "$ctx/Dockerfile"
t0=$(date +%s); DOCKER_BUILDKIT=0 docker build -q -t faas-local/sdk:10.0 "$ctx" >/dev/null; echo "sdk image: $(( $(date +%s) - t0 )) s"
rm -rf "$ctx"
for c in watchdog gateway controller; do
  t0=$(date +%s)
  DOCKER_BUILDKIT=0 docker build -q --network host --build-arg SDK_IMAGE=faas-local/sdk:10.0 --build-arg BASE_IMAGE=faas/dotnet-runtime:10.0 \
    -f "images/$c/Dockerfile" -t "faas-src/$c:test" . > "$WORK/$c.build.log" 2>&1 || { echo "$c: FAILED"; tail -30 "$WORK/$c.build.log"; continue; }
  echo "$c: built from source in $(( $(date +%s) - t0 )) s; user $(docker image inspect -f '{{.Config.User}}' "faas-src/$c:test"); size $(docker image inspect -f '{{.Size}}' "faas-src/$c:test" | awk '{printf "%.0f MB", $1/1e6}')"
done
ls_r2r=$(docker run --rm --entrypoint /bin/busybox faas-src/watchdog:test ls /opt/faas/watchdog | head -50 | tr '\n' ' ')
echo "watchdog files: $ls_r2r"
failed=0
for c in watchdog gateway controller; do docker image inspect "faas-src/$c:test" >/dev/null 2>&1 || failed=1; done
docker run -d --name src-controller -e backend=process faas-src/controller:test >/dev/null
sleep 3
docker logs src-controller 2>&1 | tail -3
[ "$(docker inspect -f '{{.State.Running}}' src-controller)" = true ] || failed=1
docker rm -f src-controller >/dev/null
[ "$failed" = 0 ] && echo "from-source images: OK" || { echo "from-source images: FAILED" >&2; exit 1; }
