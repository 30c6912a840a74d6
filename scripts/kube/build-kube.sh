#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian's `kubernetes` source package
# (with its vendor tree) using Debian's Go 1.19 in GOPATH mode, and caches them outside the checkout.
# Also installs etcd-server (the store the API server needs). Idempotent: when both binaries are in
# the cache nothing is built; a lock keeps concurrent callers (test.sh, the test fixture) from racing.
#
#   scripts/kube/build-kube.sh [--force] [--print-dir]
#
#   --force      rebuild even when the cached binaries exist
#   --print-dir  print only the cache directory on stdout (progress goes to stderr)
#
# Environment: FAAS_KUBE_BIN_DIR   where the binaries go (default /var/cache/faas/kube/v1.20.2 when
#                                  writable, else ${XDG_CACHE_HOME:-~/.cache}/faas/kube/v1.20.2)
#              FAAS_KUBE_BUILD_LOG build log (default <bin dir>/build.log)
# Needs root (or passwordless apt) the first time: apt-get installs golang-1.19-go, rsync, make,
# dpkg-dev, golang-github-modern-go-reflect2-dev and etcd-server, and deb-src is enabled for bookworm.
# First run: ~35 MB download and ~7-10 minutes of compiling on 2 cores.
set -euo pipefail

KUBE_VERSION=v1.20.2
force=0
print_dir=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --print-dir) print_dir=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "build-kube: unknown argument: $arg (expected --force or --print-dir)" >&2; exit 2 ;;
  esac
done

log() { printf 'build-kube: %s\n' "$*" >&2; }
die() { printf 'build-kube: error: %s\n' "$*" >&2; exit 1; }

pick_bin_dir() {
  if [ -n "${FAAS_KUBE_BIN_DIR:-}" ]; then echo "$FAAS_KUBE_BIN_DIR"; return; fi
  local system=/var/cache/faas/kube/$KUBE_VERSION
  if mkdir -p "$system" 2>/dev/null && [ -w "$system" ]; then echo "$system"; return; fi
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/faas/kube/$KUBE_VERSION"
}
bin_dir="$(pick_bin_dir)"
mkdir -p "$bin_dir" || die "cannot create $bin_dir (set FAAS_KUBE_BIN_DIR)"
build_log="${FAAS_KUBE_BUILD_LOG:-$bin_dir/build.log}"

have_binaries() { [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/kube-controller-manager" ]; }
is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

finish() {
  if [ "$print_dir" -eq 1 ]; then echo "$bin_dir"; else log "binaries in $bin_dir"; fi
  exit 0
}

# Packages are checked on every run (cheap): etcd is needed even when the binaries are cached.
# Source packages for `apt-get source`: enabled only when no deb-src entry exists yet.
ensure_packages() {
  local pkgs=(etcd-server) missing=() p
  if [ "$1" = build ]; then
    pkgs+=(golang-1.19-go golang-github-modern-go-reflect2-dev rsync make dpkg-dev ca-certificates)
  fi
  for p in "${pkgs[@]}"; do is_installed "$p" || missing+=("$p"); done
  local need_src=0
  if [ "$1" = build ] && ! grep -rqsE '^\s*(Types:.*deb-src|deb-src\s)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    need_src=1
  fi
  [ "${#missing[@]}" -eq 0 ] && [ "$need_src" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand (Debian 12 expected)"
  if [ "$need_src" -eq 1 ]; then
    log "enabling deb-src for bookworm (/etc/apt/sources.list.d/faas-deb-src.sources)"
    as_root tee /etc/apt/sources.list.d/faas-deb-src.sources >/dev/null <<'SRC' || die "cannot write apt sources (run as root)"
# Added by faas scripts/kube/build-kube.sh: source packages for `apt-get source kubernetes`.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  log "apt-get install ${missing[*]:-(sources only)}"
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || die "apt-get update failed (root and Debian's archives needed)"
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
}

if [ "$force" -eq 0 ] && have_binaries; then
  ensure_packages run
  finish
fi

# One build at a time; a waiting caller finds the binaries when it gets the lock.
exec 9>"$bin_dir/.lock"
if ! flock -n 9; then
  log "another build holds $bin_dir/.lock; waiting for it"
  flock 9
fi
if [ "$force" -eq 0 ] && have_binaries; then
  ensure_packages run
  finish
fi

ensure_packages build
go_bin=/usr/lib/go-1.19/bin/go
[ -x "$go_bin" ] || die "$go_bin missing after installing golang-1.19-go"
reflect2_src=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$reflect2_src/go_above_118.go" ] || die "reflect2 >= 1.0.2 not found in $reflect2_src"

work="$bin_dir/.build"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
log "building kube-apiserver and kube-controller-manager $KUBE_VERSION (log: $build_log)"
: >"$build_log"
# A subshell: set -x, cd and the Go environment stay inside it. It is run as a plain command (not
# left of ||), so that set -e inside it stops at the first failing step.
set +e
(
  set -ex
  cd "$work"
  apt-get source -qq kubernetes
  src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
  [ -d "$src/vendor" ] || { echo "no vendor tree in $src"; exit 1; }

  # GOPATH layout: the checkout is k8s.io/kubernetes, its vendor/ resolves every import.
  export GOPATH="$work/gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOCACHE="$work/gocache"
  export PATH="/usr/lib/go-1.19/bin:$PATH" HOME="$work/home"
  mkdir -p "$GOPATH/src/k8s.io" "$HOME"
  ln -s "$src" "$GOPATH/src/k8s.io/kubernetes"
  cd "$GOPATH/src/k8s.io/kubernetes"

  # reflect2 1.0.1 (vendored) reads runtime internals that changed in Go 1.18 and crashes; 1.0.2 fixes it.
  rm -rf vendor/github.com/modern-go/reflect2
  mkdir -p vendor/github.com/modern-go/reflect2
  cp "$reflect2_src"/*.go "$reflect2_src"/*.s vendor/github.com/modern-go/reflect2/

  make gen_openapi

  # In GOPATH mode the version packages live under the vendor path; /version then reports v1.20.2.
  ldflags="-s -w"
  vendored=k8s.io/kubernetes/vendor/k8s.io
  for kv in gitVersion=$KUBE_VERSION gitMajor=1 gitMinor=20 gitTreeState=clean; do
    ldflags="$ldflags -X $vendored/client-go/pkg/version.${kv} -X $vendored/component-base/version.${kv}"
  done
  for cmd in kube-apiserver kube-controller-manager; do
    go build -trimpath -ldflags "$ldflags" -o "$work/$cmd" "./cmd/$cmd"
  done
  "$work/kube-apiserver" --version
  for cmd in kube-apiserver kube-controller-manager; do
    mv -f "$work/$cmd" "$bin_dir/$cmd"
  done
) >>"$build_log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
  tail -n 30 "$build_log" >&2
  die "build failed (exit $status); full log in $build_log"
fi

have_binaries || die "build finished but the binaries are missing from $bin_dir"
finish
