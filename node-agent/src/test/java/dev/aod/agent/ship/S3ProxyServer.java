package dev.aod.agent.ship;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3Proxy inside the test JVM on 127.0.0.1, keeping its objects in memory across stop and start. */
final class S3ProxyServer implements StoreServer {
    static final String BUCKET = "aod-bundles";
    static final String ACCESS_KEY = "aod-drill";
    static final String SECRET_KEY = "S3ProxyDrillSecret0123456789abcdefABCDEF";

    private final BlobStore blobs;
    final int port;
    private S3Proxy proxy;

    /** Objects in memory. */
    S3ProxyServer() throws Exception {
        this(new TransientNio2BlobStore());
    }

    /** Objects in files under {@code dir}. */
    S3ProxyServer(Path dir) throws Exception {
        this(new FilesystemNio2BlobStore(Files.createDirectories(dir).toString()));
    }

    private S3ProxyServer(BlobStore blobs) throws Exception {
        this.blobs = blobs;
        this.port = Azurite.freePort();
        blobs.createContainer(BUCKET);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String name() {
        return "s3 (S3Proxy)";
    }

    @Override
    public void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    @Override
    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    @Override
    public String uploadYaml(Path secrets, String wrongSecret) throws Exception {
        Files.writeString(secrets.resolve("access-key-id"), ACCESS_KEY + "\n");
        Files.writeString(secrets.resolve("secret-access-key"), (wrongSecret == null ? SECRET_KEY : wrongSecret) + "\n");
        return """
                s3:
                  bucket: %s
                  prefix: aod
                  region: us-east-1
                  endpoint: "%s"
                  pathStyle: true
                  accessKeyIdFile: %s
                  secretAccessKeyFile: %s
                """.formatted(BUCKET, endpoint(), secrets.resolve("access-key-id"), secrets.resolve("secret-access-key"));
    }

    @Override
    public void fixCredentials(Path secrets) throws Exception {
        Files.writeString(secrets.resolve("secret-access-key"), SECRET_KEY + "\n");
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public Map<String, String> objects(String prefix) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (S3Client s3 = client()) {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                    .contents()) {
                MessageDigest sha = LocalBundle.digest("SHA-256");
                try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(BUCKET).key(o.key()).build())) {
                    byte[] buffer = new byte[1 << 20];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                }
                out.put(o.key(), HexFormat.of().formatHex(sha.digest()));
            }
        }
        return out;
    }

    @Override
    public List<String> leftovers(String prefix) throws Exception {
        try (S3Client s3 = client()) {
            return s3.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(BUCKET).prefix(prefix).build())
                    .uploads().stream().map(u -> "multipart upload of " + u.key()).toList();
        }
    }

    @Override
    public String secret() {
        return SECRET_KEY;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
