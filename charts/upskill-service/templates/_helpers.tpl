{{/*
Name of every object of the release, and the pods' app.kubernetes.io/name:
fullnameOverride, else the release name (at most 63 characters, a DNS label).
*/}}
{{- define "upskill-service.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* chart label: name-version, "+" is not allowed in a label value. */}}
{{- define "upskill-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of the selectors: never change them on a running release (a Deployment's selector is immutable). */}}
{{- define "upskill-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "upskill-service.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Standard labels of every object. */}}
{{- define "upskill-service.labels" -}}
helm.sh/chart: {{ include "upskill-service.chart" . }}
{{ include "upskill-service.selectorLabels" . }}
{{- with .Values.image.tag }}
app.kubernetes.io/version: {{ . | trunc 63 | trimAll "-_." | quote }}
{{- end }}
app.kubernetes.io/part-of: upskill
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The service account the pods run as; the workload role's pod identity association names it. */}}
{{- define "upskill-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "upskill-service.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
