#!/usr/bin/env bash
# Renders a Helm chart like `helm template`: with `helm` when one is on the PATH (and no --lookup is
# asked for), otherwise with tests/helm-render, a small Go tool (text/template + sprig + Helm's own
# functions) built with Debian's Go in GOPATH mode and cached by the hash of its sources.
#
#   scripts/render-chart.sh RELEASE [CHART_DIR] [--namespace NS] [-f FILE] [--set k=v] [--set-string k=v]
#                           [--lookup OBJECTS.yaml] [--is-upgrade] [--notes]
#
# CHART_DIR defaults to charts/faas. Renderer only: --notes prints NOTES.txt; --lookup answers Helm's
# `lookup` from a YAML list of objects, as a cluster would. Needs: golang-1.19-go golang-github-masterminds-sprig-dev
# golang-gopkg-yaml.v2-dev (test.sh installs them). Environment: FAAS_HELM_RENDER_CACHE (where the
# built tool is kept, default ${XDG_CACHE_HOME:-~/.cache}/faas/helm-render), FAAS_USE_HELM=0 to
# ignore a helm on the PATH.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,13p' "$0"
  exit 2
fi

release="$1"; shift
chart="$repo/charts/faas"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  chart="$1"; shift
fi

wants_lookup=0
for arg in "$@"; do
  case "$arg" in --lookup|--lookup=*|--is-upgrade|--notes) wants_lookup=1 ;; esac
done

if [ "${FAAS_USE_HELM:-1}" != 0 ] && [ "$wants_lookup" = 0 ] && command -v helm >/dev/null 2>&1; then
  exec helm template "$release" "$chart" "$@"
fi

src="$repo/tests/helm-render"
go_bin="${GO:-/usr/lib/go-1.19/bin/go}"
if [ ! -x "$go_bin" ]; then
  go_bin="$(command -v go || true)"
fi
if [ -z "$go_bin" ]; then
  echo "render-chart: Go is missing: apt-get install golang-1.19-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev" >&2
  exit 1
fi
for dir in github.com/Masterminds/sprig gopkg.in/yaml.v2; do
  if [ ! -d "/usr/share/gocode/src/$dir" ]; then
    echo "render-chart: /usr/share/gocode/src/$dir is missing: apt-get install golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev" >&2
    exit 1
  fi
done

cache="${FAAS_HELM_RENDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faas/helm-render}"
hash="$(cat "$src"/*.go | sha256sum | cut -c1-16)"
tool="$cache/helm-render-$hash"
if [ ! -x "$tool" ]; then
  mkdir -p "$cache"
  # Build into a temp name, then rename: concurrent renders never run a half-written binary.
  tmp="$(mktemp "$cache/.build-XXXXXX")"
  trap 'rm -f "$tmp"' EXIT
  (cd "$src" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="$cache/gocache" \
    "$go_bin" build -o "$tmp" .)
  chmod +x "$tmp"
  mv -f "$tmp" "$tool"
  trap - EXIT
fi
exec "$tool" template "$release" "$chart" "$@"
