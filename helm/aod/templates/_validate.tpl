{{/* Values that contradict each other fail the install with a message naming them. */}}
{{- define "aod.validate" -}}
{{- $v := .Values -}}
{{- $config := $v.agent.config | default dict -}}
{{- range $key := list "apiVersion" "kind" "node" "anomalies" "upload" -}}
{{- if hasKey $config $key -}}
{{- fail (printf "agent.config.%s: is set per node by the operator from the AnomalyPolicies; remove it from agent.config" $key) -}}
{{- end -}}
{{- end -}}
{{- if eq $v.agent.securityProfile "leastPrivileged" -}}
{{- if eq (toString (dig "capture" "ftrace" "enabled" "" $config)) "true" -}}
{{- fail "agent.config.capture.ftrace.enabled=true needs agent.securityProfile=privileged (leastPrivileged mounts tracefs read-only: no ftrace instance)" -}}
{{- end -}}
{{- if eq (toString (dig "capture" "packetCapture" "enabled" "" $config)) "true" -}}
{{- fail "agent.config.capture.packetCapture.enabled=true needs agent.securityProfile=privileged (packet capture needs CAP_NET_RAW and CAP_NET_ADMIN)" -}}
{{- end -}}
{{- if or (eq (toString (dig "capture" "verbose" "cifsFyi" "" $config)) "true") (eq (toString (dig "capture" "verbose" "rpcDebug" "" $config)) "true") -}}
{{- fail "agent.config.capture.verbose (cifsFyi, rpcDebug) needs agent.securityProfile=privileged (it writes the host's /proc/fs/cifs and /proc/sys/sunrpc)" -}}
{{- end -}}
{{- end -}}
{{- with $config.outputDir -}}
{{- if not (or (eq (clean .) (clean $v.agent.hostDataDir)) (hasPrefix (printf "%s/" (clean $v.agent.hostDataDir)) (clean .))) -}}
{{- fail (printf "agent.config.outputDir=%s is not under agent.hostDataDir=%s, the only writable host directory of the agent" . $v.agent.hostDataDir) -}}
{{- end -}}
{{- end -}}
{{- $metrics := get $config "metrics" | default dict -}}
{{- if and (hasKey $metrics "port") (ne (toString $metrics.port) "9464") -}}
{{- fail (printf "agent.config.metrics.port=%v: the agent DaemonSet's probes and the metrics Service use port 9464; leave it unset" $metrics.port) -}}
{{- end -}}
{{- if and (hasKey $metrics "address") (ne (toString $metrics.address) "0.0.0.0") -}}
{{- fail (printf "agent.config.metrics.address=%v: the kubelet probes the agent on the node's address; leave it unset (0.0.0.0)" $metrics.address) -}}
{{- end -}}
{{- if and (not $v.operator.leaderElection.enabled) (gt (int $v.operator.replicas) 1) -}}
{{- fail (printf "operator.replicas=%v with operator.leaderElection.enabled=false: replicas would reconcile against each other; enable leader election or run one replica" $v.operator.replicas) -}}
{{- end -}}
{{- $target := $v.upload.target -}}
{{- if and (ne $target "none") (not $v.defaultPolicy.enabled) -}}
{{- fail (printf "upload.target=%s is where the default policy ships bundles, but defaultPolicy.enabled=false; enable it, or set upload.target=none and put the upload into your own policies" $target) -}}
{{- end -}}
{{- if hasKey ($v.defaultPolicy.spec | default dict) "upload" -}}
{{- fail "defaultPolicy.spec.upload: set the upload target with upload.target and upload.* (the chart makes the claim and Secret it needs)" -}}
{{- end -}}
{{- if eq $target "persistentVolumeClaim" -}}
{{- if not $v.upload.persistentVolumeClaim.claimName -}}
{{- fail "upload.target=persistentVolumeClaim needs upload.persistentVolumeClaim.claimName" -}}
{{- end -}}
{{- else if eq $target "azureBlob" -}}
{{- $a := $v.upload.azureBlob -}}
{{- if not $a.container -}}
{{- fail "upload.target=azureBlob needs upload.azureBlob.container" -}}
{{- end -}}
{{- if and $a.sasToken $a.connectionString -}}
{{- fail "upload.azureBlob: set sasToken or connectionString, not both" -}}
{{- end -}}
{{- if and $a.existingSecret (or $a.sasToken $a.connectionString) -}}
{{- fail "upload.azureBlob: existingSecret names a Secret you made; do not also give sasToken or connectionString" -}}
{{- end -}}
{{- if not (or $a.existingSecret $a.sasToken $a.connectionString) -}}
{{- fail "upload.target=azureBlob needs a credential: upload.azureBlob.existingSecret, sasToken or connectionString" -}}
{{- end -}}
{{- $credential := ternary $a.existingSecretType (ternary "connectionString" "sasToken" (not (empty $a.connectionString))) (not (empty $a.existingSecret)) -}}
{{- if and (eq $credential "sasToken") (not $a.accountUrl) -}}
{{- fail "upload.azureBlob.accountUrl is required with a SAS token (only a connection string names the account itself)" -}}
{{- end -}}
{{- else if eq $target "s3" -}}
{{- $s := $v.upload.s3 -}}
{{- if not $s.bucket -}}
{{- fail "upload.target=s3 needs upload.s3.bucket" -}}
{{- end -}}
{{- if ne (empty $s.accessKeyId) (empty $s.secretAccessKey) -}}
{{- fail "upload.s3: accessKeyId and secretAccessKey go together" -}}
{{- end -}}
{{- if and $s.existingSecret $s.accessKeyId -}}
{{- fail "upload.s3: existingSecret names a Secret you made; do not also give accessKeyId and secretAccessKey" -}}
{{- end -}}
{{- end -}}
{{- end -}}
