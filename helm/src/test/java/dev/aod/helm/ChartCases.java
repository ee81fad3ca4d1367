package dev.aod.helm;

import static dev.aod.helm.Chart.values;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The values combinations that change what the chart renders. */
record ChartCases(String name, Map<String, Object> settings) {
    @Override
    public String toString() {
        return name;
    }

    static final String AZURE_URL = "https://diag.blob.core.windows.net";

    static List<ChartCases> all() {
        return List.of(
                new ChartCases("defaults (leastPrivileged, bundles on the node, no policy)", values()),
                new ChartCases("privileged", values("agent.securityProfile", "privileged")),
                new ChartCases("leastPrivileged, default policy, directory upload (chart-made claim)", values(
                        "defaultPolicy.enabled", true,
                        "upload.target", "persistentVolumeClaim",
                        "upload.persistentVolumeClaim.storageClassName", "nfs-client",
                        "upload.persistentVolumeClaim.prefix", "cluster-a")),
                new ChartCases("privileged, default policy, directory upload (existing claim)", values(
                        "agent.securityProfile", "privileged",
                        "defaultPolicy.enabled", true,
                        "upload.target", "persistentVolumeClaim",
                        "upload.persistentVolumeClaim.create", false,
                        "upload.persistentVolumeClaim.claimName", "shared-bundles")),
                new ChartCases("default policy, Azure Blob with a SAS token, ServiceMonitor", values(
                        "defaultPolicy.enabled", true,
                        "upload.target", "azureBlob",
                        "upload.azureBlob.accountUrl", AZURE_URL,
                        "upload.azureBlob.sasToken", "sv=2025-01-01&sig=abc",
                        "metrics.serviceMonitor.enabled", true,
                        "metrics.serviceMonitor.labels", Map.of("release", "kube-prometheus-stack"))),
                new ChartCases("privileged, default policy, Azure Blob with an existing connection-string Secret", values(
                        "agent.securityProfile", "privileged",
                        "defaultPolicy.enabled", true,
                        "upload.target", "azureBlob",
                        "upload.azureBlob.existingSecret", "my-azure",
                        "upload.azureBlob.existingSecretType", "connectionString")),
                new ChartCases("default policy, S3 with keys, ServiceMonitor, no dashboard", values(
                        "defaultPolicy.enabled", true,
                        "upload.target", "s3",
                        "upload.s3.bucket", "aod-bundles",
                        "upload.s3.region", "eu-west-1",
                        "upload.s3.accessKeyId", "AKIAEXAMPLE",
                        "upload.s3.secretAccessKey", "secret",
                        "metrics.serviceMonitor.enabled", true,
                        "metrics.dashboard.enabled", false)),
                new ChartCases("default policy, S3-compatible with an existing Secret", values(
                        "defaultPolicy.enabled", true,
                        "upload.target", "s3",
                        "upload.s3.bucket", "aod-bundles",
                        "upload.s3.endpoint", "https://minio.example:9000",
                        "upload.s3.pathStyle", true,
                        "upload.s3.existingSecret", "minio-keys")),
                new ChartCases("default policy, S3 with the SDK's default credentials", values(
                        "defaultPolicy.enabled", true,
                        "upload.target", "s3",
                        "upload.s3.bucket", "aod-bundles")),
                new ChartCases("no leader election, no node-scoping policy, own service accounts, HA off", values(
                        "operator.leaderElection.enabled", false,
                        "agent.nodeScoping.admissionPolicy", false,
                        "operator.serviceAccount.create", false,
                        "operator.serviceAccount.name", "platform-aod-operator",
                        "agent.serviceAccount.create", false,
                        "agent.serviceAccount.name", "platform-aod-agent")),
                new ChartCases("two operator replicas, digests, pull secrets, agent config", values(
                        "operator.replicas", 2,
                        "imagePullSecrets", List.of("regcred"),
                        "operator.image.repository", "registry.example/aod-operator",
                        "operator.image.digest", "sha256:" + "a".repeat(64),
                        "agent.image.repository", "registry.example/aod-agent",
                        "agent.image.tag", "0.1.1",
                        "agent.config", Map.of("capture", Map.of("maxConcurrentBundles", 2),
                                "retention", Map.of("maxAge", "3d")))));
    }

    static Stream<ChartCases> stream() {
        return all().stream();
    }
}
