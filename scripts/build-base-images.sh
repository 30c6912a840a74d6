#!/usr/bin/env bash
# Builds the images the Docker backend runs, with the local Docker daemon (DOCKER_HOST is honoured):
#   faas/dotnet-runtime:10.0  the .NET + ASP.NET Core runtime of this machine, imported from a root
#                             filesystem assembled here (offline: no registry is needed)
#   faas/watchdog:<version>   that runtime + the published watchdog (images/watchdog/Dockerfile)
# Idempotent: an image that exists is kept unless --force is given. --runtime-only skips the watchdog
# (scripts/build-platform-images.sh needs only the runtime).
#
#   scripts/build-base-images.sh [--force] [--runtime-only]
#
# Environment: FAAS_RUNTIME_IMAGE (faas/dotnet-runtime:10.0), FAAS_WATCHDOG_IMAGE (faas/watchdog:<Version
# of Directory.Build.props>), CONFIGURATION (Release), FAAS_WATCHDOG_READY_TO_RUN (1; 0 publishes
# without ReadyToRun, for comparisons).
set -euo pipefail

force=0
runtime_only=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --runtime-only) runtime_only=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (expected --force or --runtime-only)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n1)"
runtime_image="${FAAS_RUNTIME_IMAGE:-faas/dotnet-runtime:10.0}"
watchdog_image="${FAAS_WATCHDOG_IMAGE:-faas/watchdog:${version:-dev}}"
configuration="${CONFIGURATION:-Release}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "build-base-images: no Docker daemon answers (DOCKER_HOST=${DOCKER_HOST:-unset}); start dockerd first" >&2
  exit 1
fi

exists() { docker image inspect "$1" >/dev/null 2>&1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# (a) Runtime: the host's dotnet + shared frameworks and exactly the libraries they link, copied with
#     their paths; busybox as /bin/sh for the watchdog's process modes (fprocess runs with sh -c).
build_runtime() {
  local root="$work/rootfs"
  mkdir -p "$root"/{bin,etc,tmp,usr/bin,home/app,etc/ssl/certs}
  chmod 1777 "$root/tmp"

  mkdir -p "$root/usr/share/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$root/usr/share/dotnet/"
  local fw
  for fw in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    cp -a "$dotnet_root/shared/$fw" "$root/usr/share/dotnet/shared/"
  done
  ln -s /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"

  # Libraries: what ldd resolves for the host and every native library of the runtime, plus the ones
  # .NET dlopens (OpenSSL). ICU is left out: the image runs with invariant globalization.
  {
    find "$root/usr/share/dotnet" -type f \( -name '*.so' -o -name dotnet \) -print0 | xargs -0 ldd 2>/dev/null \
      | awk '/=> \// { print $3 } /^\s*\/.*ld-linux/ { print $1 }'
    ldconfig -p | awk '/(libssl|libcrypto)\.so\.3 .*x86-64|(libssl|libcrypto)\.so\.3 .*AArch64/ { print $NF }'
  } | sort -u | while read -r lib; do
    [ -e "$lib" ] && cp -L --parents "$lib" "$root/"
  done
  # The loader at the path binaries ask for (/lib64/ld-linux-x86-64.so.2 on x86-64).
  local interpreter
  interpreter="$(readelf -l "$dotnet_root/dotnet" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')"
  [ -n "$interpreter" ] && cp -L --parents "$interpreter" "$root/"
  printf '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n/lib/aarch64-linux-gnu\n/usr/lib/aarch64-linux-gnu\n' >"$root/etc/ld.so.conf"
  ldconfig -r "$root" 2>/dev/null || true

  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
  if [ -x /bin/busybox ]; then
    cp /bin/busybox "$root/bin/busybox"
    ln -s busybox "$root/bin/sh"
  fi
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:12000:12000:app:/home/app:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:12000:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/bin:/bin DOTNET_ROOT=/usr/share/dotnet DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'WORKDIR /home/app' \
    --change 'CMD ["dotnet", "--info"]' \
    - "$runtime_image" >/dev/null
  echo "built $runtime_image"
}

# (b) Watchdog: the published watchdog on top of the runtime.
build_watchdog() {
  local context="$work/watchdog-context"
  mkdir -p "$context"
  # ReadyToRun (precompiled watchdog assemblies; the framework is precompiled already) takes JIT work
  # off every container start (bench/README.md, Docker backend). The plain publish is the fallback
  # for a CPU without a RID here or no runtime pack from NuGet.
  local rid=""
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; esac
  if [ "${FAAS_WATCHDOG_READY_TO_RUN:-1}" = 1 ] && [ -n "$rid" ] &&
    dotnet publish "$repo/watchdog/Faas.Watchdog.csproj" -c "$configuration" -r "$rid" --self-contained false \
      -p:PublishReadyToRun=true -p:UseAppHost=false -o "$context/watchdog" -nologo -v quiet; then
    echo "watchdog: ReadyToRun publish ($rid)"
  else
    rm -rf "$context/watchdog"
    dotnet publish "$repo/watchdog/Faas.Watchdog.csproj" -c "$configuration" -o "$context/watchdog" -nologo -v quiet -p:UseAppHost=false
  fi
  cp "$repo/images/watchdog/Dockerfile" "$context/Dockerfile"
  # The classic builder (no buildx here) stops at --target, so the SDK stage after it is never pulled.
  DOCKER_BUILDKIT=0 docker build -q --target local --build-arg "BASE_IMAGE=$runtime_image" -t "$watchdog_image" "$context" >/dev/null
  echo "built $watchdog_image"
}

if [ "$force" = 1 ] || ! exists "$runtime_image"; then
  build_runtime
  force=1 # a new runtime invalidates the watchdog image built on it
else
  echo "kept $runtime_image (--force rebuilds)"
fi

if [ "$runtime_only" = 1 ]; then
  :
elif [ "$force" = 1 ] || ! exists "$watchdog_image"; then
  build_watchdog
else
  echo "kept $watchdog_image (--force rebuilds)"
fi
