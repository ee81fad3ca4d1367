package dev.aod.agent.ship;

import dev.aod.config.UploadTarget;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * S3 and S3-compatible stores through the AWS SDK v2. Small bundles go up in one PUT, larger ones in
 * multipart; every request carries its Content-MD5, which the store checks. The bundle's sha256 rides
 * along as metadata and is read back with the size before the bundle counts as shipped. Credentials:
 * the two key files, else the default provider chain (environment, web identity, profile, instance).
 */
final class S3Store implements BundleStore {
    static final int PART = 8 << 20;

    private final UploadTarget.S3 target;
    private final String describe;
    private final int partSize;
    private final ParallelChunks chunks;
    private volatile S3Client client;

    S3Store(UploadTarget.S3 target, int partSize, int parallelism) {
        this.target = target;
        this.describe = "s3 bucket " + target.bucket() + (target.endpoint().isEmpty() ? "" : " at " + target.endpoint());
        this.partSize = partSize;
        this.chunks = new ParallelChunks("aod-ship-s3", parallelism);
    }

    @Override
    public String describe() {
        return describe;
    }

    private S3Client client() throws ShipException {
        S3Client c = client;
        if (c != null) {
            return c;
        }
        AwsCredentialsProvider credentials = target.accessKeyIdFile().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        Secrets.read(describe, "accessKeyIdFile", target.accessKeyIdFile()),
                        Secrets.read(describe, "secretAccessKeyFile", target.secretAccessKeyFile())));
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .forcePathStyle(target.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)).maxConnections(chunks.parallelism() + 2));
        if (!target.region().isEmpty()) {
            builder.region(Region.of(target.region()));
        } else if (!target.endpoint().isEmpty()) {
            builder.region(Region.US_EAST_1); // S3-compatible stores mostly ignore it; asking the chain may wait on IMDS
        } else {
            builder.region(defaultRegion()).crossRegionAccessEnabled(true);
        }
        if (!target.endpoint().isEmpty()) {
            // Many S3-compatible stores reject the SDK's newer trailing checksums; Content-MD5 is understood everywhere.
            builder.endpointOverride(URI.create(target.endpoint()))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        try {
            c = builder.build();
        } catch (SdkClientException | IllegalArgumentException e) {
            throw new ShipException(ShipException.Kind.FAILED, describe, "cannot set up the client: " + Failures.rootMessage(e));
        }
        client = c;
        return c;
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

    @Override
    public void probe() throws ShipException {
        S3Client c = client();
        try {
            c.headBucket(HeadBucketRequest.builder().bucket(target.bucket()).build());
        } catch (RuntimeException e) {
            throw failure(e, "bucket " + target.bucket());
        }
    }

    @Override
    public Optional<StoredBundle> find(ObjectName name, LocalBundle bundle) throws ShipException {
        S3Client c = client();
        try {
            Optional<HeadObjectResponse> head = head(c, name.bundleKey());
            if (head.isEmpty() || head.get().contentLength() != bundle.bytes()
                    || !bundle.sha256().equals(head.get().metadata().get("sha256"))
                    || head(c, name.manifestKey()).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new StoredBundle(uri(name.bundleKey()), bundle.bytes(), bundle.sha256()));
        } catch (RuntimeException e) {
            throw failure(e, name.bundleKey());
        }
    }

    private Optional<HeadObjectResponse> head(S3Client c, String key) {
        try {
            return Optional.of(c.headObject(HeadObjectRequest.builder().bucket(target.bucket()).key(key).build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public StoredBundle put(ObjectName name, LocalBundle bundle, Progress progress) throws ShipException {
        S3Client c = client();
        Map<String, String> metadata = Map.of("sha256", bundle.sha256(), "bundle", bundle.name());
        Content content = Content.of(bundle.path(), bundle.bytes());
        try {
            AtomicLong sent = new AtomicLong();
            if (bundle.bytes() <= partSize) {
                putObject(c, name.bundleKey(), content, "application/zstd", metadata);
                progress.sent(bundle.fileName(), bundle.bytes(), bundle.bytes());
            } else {
                multipart(c, name.bundleKey(), content, metadata,
                        n -> progress.sent(bundle.fileName(), sent.addAndGet(n), bundle.bytes()));
            }
            HeadObjectResponse head = head(c, name.bundleKey()).orElseThrow(() -> new IllegalStateException(
                    name.bundleKey() + " is missing right after its upload"));
            String sha256 = head.metadata().getOrDefault("sha256", "");
            if (head.contentLength() != bundle.bytes() || !sha256.equals(bundle.sha256())) {
                throw new ShipException(ShipException.Kind.INTEGRITY, describe, name.bundleKey() + " reads back with "
                        + head.contentLength() + " bytes and sha256 '" + sha256 + "', expected " + bundle.bytes()
                        + " bytes and " + bundle.sha256());
            }
            putObject(c, name.manifestKey(), Content.of(bundle.manifest()), "application/json", metadata);
            return new StoredBundle(uri(name.bundleKey()), head.contentLength(), sha256);
        } catch (ShipException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShipException(ShipException.Kind.FAILED, describe, "interrupted: the agent is stopping");
        } catch (Exception e) {
            throw failure(e, name.bundleKey());
        }
    }

    private void putObject(S3Client c, String key, Content content, String contentType, Map<String, String> metadata)
            throws Exception {
        Content.Chunk whole = content.chunks(Integer.MAX_VALUE).get(0);
        c.putObject(PutObjectRequest.builder().bucket(target.bucket()).key(key).contentType(contentType)
                        .contentLength(content.size()).contentMD5(base64(whole.md5())).metadata(metadata).build(),
                RequestBody.fromContentProvider(whole::openUnchecked, content.size(), contentType));
    }

    private void multipart(S3Client c, String key, Content content, Map<String, String> metadata,
            java.util.function.LongConsumer sent) throws Exception {
        abortEarlierUploads(c, key);
        String uploadId = c.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(target.bucket()).key(key)
                .contentType("application/zstd").metadata(metadata).build()).uploadId();
        try {
            List<CompletedPart> parts = chunks.upload(content.chunks(partSize), sent, chunk -> {
                int number = chunk.index() + 1;
                String etag = c.uploadPart(UploadPartRequest.builder().bucket(target.bucket()).key(key)
                                .uploadId(uploadId).partNumber(number).contentLength((long) chunk.length())
                                .contentMD5(base64(chunk.md5())).build(),
                        RequestBody.fromContentProvider(chunk::openUnchecked, chunk.length(), "application/octet-stream"))
                        .eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            });
            c.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(target.bucket()).key(key)
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
        } catch (Exception e) {
            abort(c, key, uploadId);
            throw e;
        }
    }

    /** Parts of an upload cut short (the agent was killed) cost storage until aborted. */
    private void abortEarlierUploads(S3Client c, String key) {
        try {
            List<MultipartUpload> earlier = new ArrayList<>(c.listMultipartUploads(ListMultipartUploadsRequest.builder()
                    .bucket(target.bucket()).prefix(key).build()).uploads());
            earlier.stream().filter(u -> key.equals(u.key())).forEach(u -> abort(c, key, u.uploadId()));
        } catch (RuntimeException e) {
            // Listing uploads needs s3:ListBucketMultipartUploads; without it a lifecycle rule cleans up.
        }
    }

    private void abort(S3Client c, String key, String uploadId) {
        try {
            c.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(target.bucket()).key(key)
                    .uploadId(uploadId).build());
        } catch (RuntimeException e) {
            // best effort: the next attempt lists and aborts what is left
        }
    }

    private String uri(String key) {
        return "s3://" + target.bucket() + "/" + key;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private ShipException failure(Exception e, String what) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null || s3.awsErrorDetails().errorCode() == null
                    ? "" : " " + s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if (status == 401 || status == 403) {
                forgetClient(); // the next attempt reads the key files again (a rotated Secret)
                return new ShipException(ShipException.Kind.CREDENTIALS, describe, "HTTP " + status + code);
            }
            if (status == 404) {
                return new ShipException(ShipException.Kind.NOT_FOUND, describe, what + ": HTTP 404" + code);
            }
            if (code.contains("BadDigest") || code.contains("InvalidDigest")) {
                return new ShipException(ShipException.Kind.INTEGRITY, describe, what + ": HTTP " + status + code);
            }
            return new ShipException(ShipException.Kind.FAILED, describe, what + ": HTTP " + status + code);
        }
        if (Failures.isConnectivity(e)) {
            return new ShipException(ShipException.Kind.UNREACHABLE, describe, Failures.rootMessage(e));
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
            return new ShipException(ShipException.Kind.CREDENTIALS, describe, Failures.rootMessage(e));
        }
        return new ShipException(ShipException.Kind.FAILED, describe, what + ": " + Failures.rootMessage(e));
    }

    private void forgetClient() {
        S3Client c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        forgetClient();
        chunks.close();
    }
}
