#!/usr/bin/env bash
# Builds the platform's own images with the local Docker daemon (DOCKER_HOST is honoured), offline:
#   faas/gateway:<version>     gateway + queue worker (images/gateway/Dockerfile, target `local`)
#   faas/controller:<version>  controller (images/controller/Dockerfile, target `local`)
# on faas/dotnet-runtime:10.0 from scripts/build-base-images.sh (built first when missing). Each
# component is published on this host (`dotnet publish`) and copied in: no SDK image and no NuGet are
# needed inside Docker. With registry access, the Dockerfiles' default target builds from source instead.
#
#   scripts/build-platform-images.sh [--force] [gateway] [controller]     (default: both)
#
# Environment: FAAS_RUNTIME_IMAGE (faas/dotnet-runtime:10.0), FAAS_GATEWAY_IMAGE (faas/gateway:<Version
# of Directory.Build.props>), FAAS_CONTROLLER_IMAGE (faas/controller:<version>), CONFIGURATION (Release).
set -euo pipefail

force=0
components=()
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    gateway|controller) components+=("$arg") ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (expected --force, gateway, controller)" >&2; exit 2 ;;
  esac
done
[ "${#components[@]}" -gt 0 ] || components=(gateway controller)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n1)"
runtime_image="${FAAS_RUNTIME_IMAGE:-faas/dotnet-runtime:10.0}"
configuration="${CONFIGURATION:-Release}"

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "build-platform-images: no Docker daemon answers (DOCKER_HOST=${DOCKER_HOST:-unset}); start dockerd first" >&2
  exit 1
fi

base_args=(--runtime-only)
[ "$force" = 1 ] && base_args+=(--force)
FAAS_RUNTIME_IMAGE="$runtime_image" "$repo/scripts/build-base-images.sh" "${base_args[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for component in "${components[@]}"; do
  case "$component" in
    gateway) project="$repo/gateway/Faas.Gateway.csproj"; image="${FAAS_GATEWAY_IMAGE:-faas/gateway:${version:-dev}}" ;;
    controller) project="$repo/controller/Faas.Controller.csproj"; image="${FAAS_CONTROLLER_IMAGE:-faas/controller:${version:-dev}}" ;;
  esac
  if [ "$force" = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
    echo "kept $image (--force rebuilds)"
    continue
  fi
  context="$work/$component"
  mkdir -p "$context"
  dotnet publish "$project" -c "$configuration" -o "$context/$component" -nologo -v quiet -p:UseAppHost=false
  # The classic builder (no buildx here) stops at --target, so the SDK stage after it is never pulled.
  DOCKER_BUILDKIT=0 docker build -q --target local --build-arg "BASE_IMAGE=$runtime_image" \
    -f "$repo/images/$component/Dockerfile" -t "$image" "$context" >/dev/null
  echo "built $image"
done
