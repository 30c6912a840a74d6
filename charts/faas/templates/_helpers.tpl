{{/* Names, labels and shared snippets of the faas chart. */}}

{{/* The chart's name, for labels. */}}
{{- define "faas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object's name: the release name, plus the chart's name unless it is already in it. */}}
{{- define "faas.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Component names (50 + "-queue-worker" stays within the 63 characters of a DNS label). */}}
{{- define "faas.gateway" -}}{{ include "faas.fullname" . }}-gateway{{- end -}}
{{- define "faas.gatewayMetrics" -}}{{ include "faas.fullname" . }}-gateway-metrics{{- end -}}
{{- define "faas.queueWorker" -}}{{ include "faas.fullname" . }}-queue-worker{{- end -}}
{{- define "faas.controller" -}}{{ include "faas.fullname" . }}-controller{{- end -}}
{{- define "faas.nats" -}}{{ include "faas.fullname" . }}-nats{{- end -}}
{{- define "faas.prometheus" -}}{{ include "faas.fullname" . }}-prometheus{{- end -}}
{{- define "faas.basicAuthSecret" -}}{{ include "faas.fullname" . }}-basic-auth{{- end -}}
{{- define "faas.controllerServiceAccount" -}}{{ default (include "faas.controller" .) .Values.controller.serviceAccount.name }}{{- end -}}

{{/* The function namespace, required. */}}
{{- define "faas.functionNamespace" -}}
{{- required "functionNamespace.name is required: the namespace functions run in, e.g. openfaas-fn" .Values.functionNamespace.name -}}
{{- end -}}

{{/* Every namespace the controller manages, main one first, one per line. */}}
{{- define "faas.functionNamespaces" -}}
{{- $main := include "faas.functionNamespace" . -}}
{{ $main }}
{{- range .Values.functionNamespace.extra }}
{{- if ne . $main }}
{{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* The extra function namespaces (clusterRole=false), without the main one, one per line; empty when none. */}}
{{- define "faas.extraFunctionNamespaces" -}}
{{- $main := include "faas.functionNamespace" . -}}
{{- $extra := list -}}
{{- range .Values.functionNamespace.extra }}
{{- if and (ne . $main) (not (has . $extra)) }}
{{- $extra = append $extra . -}}
{{- end }}
{{- end -}}
{{ join "\n" $extra }}
{{- end -}}

{{/* Cluster-scoped objects are shared by every release: the release namespace keeps their names apart. */}}
{{- define "faas.controllerClusterRole" -}}{{ include "faas.controller" . }}-{{ .Release.Namespace }}{{- end -}}

{{/*
  What the Kubernetes backend does with functions, as RBAC rules (a Role per function namespace, or the
  ClusterRole with clusterRole=true): functions are Deployments (+ the scale subresource) and Services;
  replicas are watched through Pods (ready addresses) and Endpoints; logs come from pods/log; function
  secrets are Secrets; Events explain failed rollouts.
*/}}
{{- define "faas.controllerFunctionRules" -}}
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments/scale"]
  verbs: ["get", "update", "patch"]
- apiGroups: [""]
  resources: ["services", "secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods", "endpoints", "events"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
{{- end -}}

{{/* Labels on every object. */}}
{{- define "faas.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "faas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: faas
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "gateway"). */}}
{{- define "faas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "faas.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference; call with (dict "root" $ "image" .Values.gateway.image "platform" true). */}}
{{- define "faas.image" -}}
{{- $repository := required "image repository is required (gateway.image.repository, controller.image.repository, nats.image.repository, prometheus.image.repository)" .image.repository -}}
{{- if .platform -}}
{{- printf "%s%s:%s" .root.Values.image.registry $repository (default .root.Chart.AppVersion .image.tag) -}}
{{- else -}}
{{- printf "%s:%s" $repository (required "nats.image.tag and prometheus.image.tag are required" .image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Pod-level security: non-root with the images' numeric uid. */}}
{{- define "faas.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
fsGroup: {{ .Values.runAsUser }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security: nothing writable but mounted volumes, no privileges. */}}
{{- define "faas.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* imagePullSecrets, when any. */}}
{{- define "faas.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Scheduling fields of a component's values; call with the component's values. */}}
{{- define "faas.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Where the gateway and the controller read basic-auth-user and basic-auth-password [secret_mount_path]. */}}
{{- define "faas.secretMountPath" -}}/var/secrets/faas-auth/{{- end -}}

{{/* Env shared by the gateway and the queue worker (both run the gateway binary). */}}
{{- define "faas.gatewayCommonEnv" -}}
- name: bind_address
  value: "0.0.0.0"
- name: functions_provider_url
  value: "http://{{ include "faas.controller" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ .Values.controller.port }}"
- name: function_namespace
  value: {{ include "faas.functionNamespace" . | quote }}
- name: basic_auth
  value: {{ .Values.basicAuth.enabled | quote }}
{{- if .Values.basicAuth.enabled }}
- name: secret_mount_path
  value: {{ include "faas.secretMountPath" . | quote }}
{{- end }}
- name: metrics_port
  value: {{ .Values.gateway.metricsPort | quote }}
{{- if .Values.nats.enabled }}
- name: nats_url
  value: "nats://{{ include "faas.nats" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ .Values.nats.port }}"
- name: async_stream
  value: {{ .Values.async.stream | quote }}
- name: async_consumer
  value: {{ .Values.async.consumer | quote }}
- name: ack_wait
  value: {{ .Values.async.ackWait | quote }}
- name: call_status_ttl
  value: {{ .Values.async.callStatusTtl | quote }}
{{- end }}
{{- end -}}

{{/* Env of an in-process or separate queue worker. */}}
{{- define "faas.queueWorkerEnv" -}}
- name: max_inflight
  value: {{ .Values.queueWorker.maxInflight | quote }}
- name: max_inflight_per_function
  value: {{ .Values.queueWorker.maxInflightPerFunction | quote }}
- name: max_retry_attempts
  value: {{ .Values.queueWorker.maxRetryAttempts | quote }}
- name: initial_retry_wait
  value: {{ .Values.queueWorker.initialRetryWait | quote }}
- name: max_retry_wait
  value: {{ .Values.queueWorker.maxRetryWait | quote }}
- name: retry_http_codes
  value: {{ .Values.queueWorker.retryHttpCodes | quote }}
{{- end -}}

{{/* The basic-auth Secret as a read-only volume (mounted at faas.secretMountPath). */}}
{{- define "faas.basicAuthVolume" -}}
- name: basic-auth
  secret:
    secretName: {{ include "faas.basicAuthSecret" . }}
    defaultMode: 0440
{{- end -}}
