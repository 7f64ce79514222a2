{{- define "zerto-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "zerto-exporter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "zerto-exporter.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "zerto-exporter.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "zerto-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zerto-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "zerto-exporter.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "zerto-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Where the Secrets are mounted; one directory per module. */}}
{{- define "zerto-exporter.secretsDir" -}}/etc/zerto_exporter/secrets{{- end }}
{{- define "zerto-exporter.configDir" -}}/etc/zerto_exporter/config{{- end }}

{{/*
The exporter's config file. Each module's secrets become paths of the files the Deployment mounts
from the referenced Secrets; a secret value in the values fails the render. A module's targets
(the ZVMs its credentials may be sent to) are the URLs of the zvms that use it, plus its own
`targets`; a module that no ZVM uses and that lists none is left out.
*/}}
{{- define "zerto-exporter.config" -}}
{{- $dir := include "zerto-exporter.secretsDir" . }}
{{- $modules := dict }}
{{- range $name, $m := .Values.modules }}
{{- if not (regexMatch "^[a-zA-Z0-9_-]+$" $name) }}
{{- fail (printf "modules.%s: a module name may only hold letters, digits, - and _" $name) }}
{{- end }}
{{- range $k := list "password" "clientSecret" "client_secret" "password_file" "client_secret_file" }}
{{- if hasKey $m $k }}
{{- fail (printf "modules.%s.%s: secrets are never written in the values; reference a Secret with passwordSecret / clientSecretSecret ({name, key})" $name $k) }}
{{- end }}
{{- end }}
{{- $out := dict }}
{{- $targets := list }}
{{- range $m.targets }}{{ $targets = append $targets . }}{{ end }}
{{- range $.Values.zvms }}
{{- if eq (.module | default "default") $name }}{{ $targets = append $targets .url }}{{ end }}
{{- end }}
{{- $_ := set $out "targets" (uniq $targets) }}
{{- with $m.auth }}{{ $_ := set $out "auth" . }}{{ end }}
{{- with $m.username }}{{ $_ := set $out "username" . }}{{ end }}
{{- with $m.clientId }}{{ $_ := set $out "client_id" . }}{{ end }}
{{- with $m.passwordSecret }}{{ $_ := set $out "password_file" (printf "%s/%s/password" $dir $name) }}{{ end }}
{{- with $m.clientSecretSecret }}{{ $_ := set $out "client_secret_file" (printf "%s/%s/client-secret" $dir $name) }}{{ end }}
{{- with $m.timeout }}{{ $_ := set $out "timeout" . }}{{ end }}
{{- with $m.cacheTTL }}{{ $_ := set $out "cache_ttl" . }}{{ end }}
{{- with $m.collectors }}{{ $_ := set $out "collectors" . }}{{ end }}
{{- $tls := dict }}
{{- with $m.caSecret }}{{ $_ := set $tls "ca_file" (printf "%s/%s/ca.pem" $dir $name) }}{{ end }}
{{- if $m.insecureSkipVerify }}{{ $_ := set $tls "insecure_skip_verify" true }}{{ end }}
{{- if $tls }}{{ $_ := set $out "tls_config" $tls }}{{ end }}
{{- if $targets }}{{ $_ := set $modules $name $out }}{{ end }}
{{- end }}
{{- $cfg := dict "modules" $modules }}
{{- with .Values.sla }}{{ $_ := set $cfg "sla" . }}{{ end }}
{{- toYaml $cfg }}
{{- end }}
