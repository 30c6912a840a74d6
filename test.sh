#!/usr/bin/env bash
# Installs what is missing, builds the solution and runs every test project.
# The last line of output is "tests: N passed, N failed" (", N skipped" when any were skipped).
set -uo pipefail
cd "$(dirname "$0")"

CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS_DIR="$(pwd)/.faas/test-results"

log() { printf '==> %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (dotnet was not found on PATH)" >&2
  exit 1
fi

# Debian packages the suite needs; installed only when missing (root on CI and fresh machines).
# nats-server (JetStream), prometheus, docker.io (+ busybox-static for tiny test images) back
# the integration tests of libs/Faas.Nats, libs/Faas.Prometheus and libs/Faas.Docker. Go + sprig +
# yaml.v2 build tests/helm-render, which renders charts/faas for Faas.Charts.Tests (no helm here).
APT_PACKAGES=(nats-server prometheus docker.io busybox-static
  golang-1.19-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # "install ok installed" only: a removed package keeps a "deinstall ... config-files" status.
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# kubectl applies charts/faas to the test API server (Faas.Charts.Tests); any kubectl will do, Debian's
# comes in kubernetes-client (v1.20, the API server's version).
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${missing[*]} with apt-get (run as root with Debian's archives reachable)" >&2
    echo "tests: 0 passed, 1 failed"
    exit 1
  fi
fi

# The Kubernetes client tests run a real etcd + kube-apiserver + kube-controller-manager. The script
# installs etcd-server and, when the binaries are not cached yet (/var/cache/faas/kube/v1.20.2), builds
# them from Debian's kubernetes source package: ~35 MB of downloads and 7-10 minutes on 2 cores, once.
log "kubernetes control plane (scripts/kube/build-kube.sh; the first run builds it, later runs reuse the cache)"
if ! scripts/kube/build-kube.sh; then
  echo "test.sh: scripts/kube/build-kube.sh could not provide kube-apiserver and kube-controller-manager (see its log above)" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

log "building (${CONFIGURATION})"
if ! dotnet build Faas.sln -c "$CONFIGURATION" -nologo -v quiet; then
  echo "test.sh: build failed" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
log "running tests"
dotnet test Faas.sln -c "$CONFIGURATION" --no-build -nologo \
  --blame-hang-timeout 10m \
  --results-directory "$RESULTS_DIR" \
  2>&1 | tee "$RESULTS_DIR/output.log"
status=${PIPESTATUS[0]}
# The claim files of tests/Faas.Testing/Net/MachineClaims.cs (test ports, Docker address pools); every test host has exited by now.
rm -rf "${TMPDIR:-/tmp}/faas-test-claims"

# Sum the per-assembly summaries: "Passed!  - Failed:     0, Passed:    43, Skipped:     0, ..."
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- Failed: ' "$RESULTS_DIR/output.log" |
    sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
    awk '{f+=$1; p+=$2; s+=$3} END {print p+0, f+0, s+0}'
)
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$RESULTS_DIR/output.log")
expected=$(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | wc -l)

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A crashed or hung test host reports no summary line; count it as a failure.
  failed=1
fi
if [ "$assemblies" -lt "$expected" ]; then
  echo "test.sh: only $assemblies of $expected test assemblies reported results" >&2
  [ "$failed" -eq 0 ] && failed=1
fi

summary="tests: ${passed} passed, ${failed} failed"
[ "$skipped" -gt 0 ] && summary="${summary}, ${skipped} skipped"
echo "$summary"
[ "$failed" -eq 0 ]
