#!/usr/bin/env bash
# Applies charts/faas to a real API server and checks the controller's rights with its own
# ServiceAccount token: what the Kubernetes backend does works in the function namespace, everything
# else is forbidden. Needs kubectl and an admin kubeconfig; no Helm (renders with scripts/render-chart.sh).
# Nothing needs to run in pods: with no kubelet the platform's pods stay Pending.
#
#   scripts/check-chart-on-cluster.sh [--keep] [--namespace NAME] [--cluster-role] [--set k=v]...
#                                      (KUBECONFIG = an admin of the cluster)
#
# Uses namespaces NAME (release; default faas-check-<random>) and NAME-fn (functions) and deletes
# them at the end unless --keep. --cluster-role renders clusterRole=true and checks its rights instead;
# --set passes a value to the chart (extra namespaces must exist). Exit code 0 when every check passed.
set -euo pipefail

keep=0
ns=""
cluster_role=0
sets=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --namespace)
      [ "$#" -ge 2 ] || { echo "--namespace needs a name" >&2; exit 2; }
      ns="$2"; shift ;;
    --cluster-role) cluster_role=1; sets+=(--set clusterRole=true) ;;
    --set)
      [ "$#" -ge 2 ] || { echo "--set needs k=v" >&2; exit 2; }
      sets+=(--set "$2"); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (expected --keep, --namespace NAME, --cluster-role or --set k=v)" >&2; exit 2 ;;
  esac
  shift
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "$ns" ]; then
  ns="faas-check-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
fi
fnns="$ns-fn"
release=faas
work="$(mktemp -d)"
cleanup() {
  if [ "$keep" = 0 ]; then
    kubectl delete namespace "$ns" "$fnns" --wait=false >/dev/null 2>&1 || true
    kubectl delete namespace "$ns-new" --wait=false >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

kubectl get --raw /readyz >/dev/null

# 1. Every object of the chart is accepted.
kubectl create namespace "$ns" >/dev/null
"$repo/scripts/render-chart.sh" "$release" "$repo/charts/faas" --namespace "$ns" \
  --set "functionNamespace.name=$fnns" "${sets[@]}" >"$work/manifests.yaml"
kubectl apply -f "$work/manifests.yaml"

# 2. A token of the controller's ServiceAccount (TokenRequest: what the kubelet mounts in its pod).
sa="$release-controller"
printf '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}' >"$work/request.json"
token="$(kubectl create --raw "/api/v1/namespaces/$ns/serviceaccounts/$sa/token" -f "$work/request.json" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "check-chart-on-cluster: no token for $ns/$sa" >&2; exit 1; }
server="$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.server}')"
ca="$(kubectl config view --minify --raw --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
if [ -n "$ca" ]; then trust="certificate-authority-data: $ca"; else trust="insecure-skip-tls-verify: true"; fi
# Written by hand: Debian's kubectl 1.20 (Go 1.19 build) crashes in "kubectl config set-credentials".
sakube="$work/controller.kubeconfig"
cat >"$sakube" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: $server
    $trust
users:
- name: controller
  user:
    token: $token
contexts:
- name: c
  context:
    cluster: c
    user: controller
current-context: c
EOF

failures=0
as_controller() { kubectl --kubeconfig "$sakube" "$@"; }
allowed() {
  if out="$(as_controller "$@" 2>&1)"; then echo "ok        $*"; else echo "FAILED    $*: $out"; failures=$((failures + 1)); fi
}
# Allowed, though the object does not exist: the API server answers NotFound only after authorizing.
allowed_absent() {
  if out="$(as_controller "$@" 2>&1)"; then echo "ok        $*";
  elif grep -q -i forbidden <<<"$out" || ! grep -q -i "not ?found" -E <<<"$out"; then echo "FAILED    $*: $out"; failures=$((failures + 1));
  else echo "ok        $* (not found)"; fi
}
forbidden() {
  if out="$(as_controller "$@" 2>&1)"; then echo "ALLOWED   $*: $out"; failures=$((failures + 1));
  elif grep -q -i forbidden <<<"$out"; then echo "forbidden $*";
  else echo "FAILED    $* (expected Forbidden): $out"; failures=$((failures + 1)); fi
}

# 3. The backend's work in the function namespace.
allowed -n "$fnns" create deployment check --image=faas/check:1 --port=8080
allowed -n "$fnns" scale deployment check --replicas=3
allowed -n "$fnns" patch deployment check --type=merge -p '{"metadata":{"labels":{"faas_function":"check"}}}'
allowed -n "$fnns" expose deployment check --port=8080
allowed -n "$fnns" create secret generic check-key --from-literal=v=1
allowed -n "$fnns" get pods,endpoints,events
allowed -n "$fnns" get --raw "/api/v1/namespaces/$fnns/pods?watch=true&timeoutSeconds=1"
allowed_absent get --raw "/api/v1/namespaces/$fnns/pods/check-absent/log"
allowed -n "$fnns" delete service check
allowed -n "$fnns" delete secret check-key
allowed -n "$fnns" delete deployment check

# 4. Nothing more.
forbidden -n "$fnns" create configmap check
forbidden -n "$fnns" delete pod check-absent
forbidden get nodes
if [ "$cluster_role" = 0 ]; then
  forbidden -n default create deployment check --image=x
  forbidden -n "$ns" get secret "$release-basic-auth"
  forbidden get namespaces
  forbidden create namespace "$ns-new"
else
  # clusterRole=true: the function rights everywhere, and namespaces managed through the API.
  allowed -n default get deployments,services,pods
  allowed get namespaces
  allowed create namespace "$ns-new"
  allowed annotate namespace "$ns-new" openfaas=1
  allowed delete namespace "$ns-new" --wait=false
  forbidden create clusterrole check --verb=get --resource=pods
fi

echo "check-chart-on-cluster: $failures failed"
[ "$failures" = 0 ]
