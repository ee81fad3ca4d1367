{{/* The release's base name: the release name, with "-aod" unless it already says aod. */}}
{{- define "aod.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "aod.operatorName" -}}{{ include "aod.fullname" . }}-operator{{- end -}}
{{- define "aod.agentName" -}}{{ include "aod.fullname" . }}-agent{{- end -}}

{{- define "aod.operatorServiceAccount" -}}
{{- default (include "aod.operatorName" .) .Values.operator.serviceAccount.name -}}
{{- end -}}

{{- define "aod.agentServiceAccount" -}}
{{- default (include "aod.agentName" .) .Values.agent.serviceAccount.name -}}
{{- end -}}

{{- define "aod.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: aod
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The operator's pods; the operator's own labels for the agent pods are app.kubernetes.io/name=aod-agent and app.kubernetes.io/instance=<DaemonSet name>. */}}
{{- define "aod.operatorSelector" -}}
app.kubernetes.io/name: aod-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aod.agentSelector" -}}
app.kubernetes.io/name: aod-agent
app.kubernetes.io/instance: {{ include "aod.agentName" . }}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "aod.image" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* The agent's base AgentConfig: agent.config, with what the security profile implies. */}}
{{- define "aod.agentConfig" -}}
{{- $config := deepCopy .Values.agent.config -}}
{{- /* the agent writes where the DaemonSet mounts agent.hostDataDir (the operator mounts it at the same path) */ -}}
{{- $config = merge $config (dict "outputDir" .Values.agent.hostDataDir) -}}
{{- if eq .Values.agent.securityProfile "leastPrivileged" -}}
{{- /* tracefs is mounted read-only in this profile: no ftrace instance of AOD's own */ -}}
{{- $config = mergeOverwrite $config (dict "capture" (dict "ftrace" (dict "enabled" false))) -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}
