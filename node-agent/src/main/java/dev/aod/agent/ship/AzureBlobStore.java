package dev.aod.agent.ship;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.aod.config.UploadTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Azure Blob Storage through the official SDK. A bundle is staged in blocks, each with its MD5 that
 * the service checks, then committed with the whole bundle's MD5 and its sha256 as metadata; both are
 * read back before the bundle counts as shipped. Credentials, in this order: the connection string
 * file, the SAS token file, else the default Azure credential chain (workload identity, managed
 * identity, a service principal from the environment).
 */
final class AzureBlobStore implements BundleStore {
    static final int BLOCK = 8 << 20;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final UploadTarget.AzureBlob target;
    private final String describe;
    private final int blockSize;
    private final ParallelChunks chunks;
    private volatile BlobContainerClient container;

    AzureBlobStore(UploadTarget.AzureBlob target, int blockSize, int parallelism) {
        this.target = target;
        this.describe = "azureBlob " + (target.accountUrl().isEmpty() ? "" : target.accountUrl() + " ")
                + "container " + target.container();
        this.blockSize = blockSize;
        this.chunks = new ParallelChunks("aod-ship-azure", parallelism);
    }

    @Override
    public String describe() {
        return describe;
    }

    private BlobContainerClient container() throws ShipException {
        BlobContainerClient c = container;
        if (c != null) {
            return c;
        }
        // The SDK retries briefly; the outbox owns the long back-off.
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().retryOptions(new RequestRetryOptions(
                RetryPolicyType.EXPONENTIAL, 3, TIMEOUT, Duration.ofSeconds(1), Duration.ofSeconds(8), null));
        try {
            if (!target.connectionStringFile().isEmpty()) {
                builder.connectionString(Secrets.read(describe, "connectionStringFile", target.connectionStringFile()));
            } else if (!target.sasTokenFile().isEmpty()) {
                String sas = Secrets.read(describe, "sasTokenFile", target.sasTokenFile());
                builder.endpoint(target.accountUrl()).sasToken(sas.startsWith("?") ? sas.substring(1) : sas);
            } else {
                TokenCredential identity = new DefaultAzureCredentialBuilder().build();
                builder.endpoint(target.accountUrl()).credential(identity);
            }
            c = builder.buildClient().getBlobContainerClient(target.container());
        } catch (IllegalArgumentException e) {
            String source = !target.connectionStringFile().isEmpty() ? "connectionStringFile " + target.connectionStringFile()
                    : !target.sasTokenFile().isEmpty() ? "sasTokenFile " + target.sasTokenFile() : "accountUrl";
            throw new ShipException(ShipException.Kind.CREDENTIALS, describe, source + " is not usable: "
                    + e.getClass().getSimpleName());
        }
        container = c;
        return c;
    }

    @Override
    public void probe() throws ShipException {
        BlobContainerClient c = container();
        try {
            c.getPropertiesWithResponse(null, TIMEOUT, Context.NONE);
        } catch (RuntimeException e) {
            throw failure(e, "container " + target.container());
        }
    }

    @Override
    public Optional<StoredBundle> find(ObjectName name, LocalBundle bundle) throws ShipException {
        BlobContainerClient c = container();
        try {
            BlockBlobClient blob = c.getBlobClient(name.bundleKey()).getBlockBlobClient();
            if (!blob.exists()) {
                return Optional.empty();
            }
            BlobProperties p = blob.getProperties();
            if (p.getBlobSize() != bundle.bytes() || !bundle.sha256().equals(p.getMetadata().get("sha256"))
                    || !c.getBlobClient(name.manifestKey()).exists()) {
                return Optional.empty();
            }
            return Optional.of(new StoredBundle(uri(c, name.bundleKey()), p.getBlobSize(), p.getMetadata().get("sha256")));
        } catch (RuntimeException e) {
            throw failure(e, name.bundleKey());
        }
    }

    @Override
    public StoredBundle put(ObjectName name, LocalBundle bundle, Progress progress) throws ShipException {
        BlobContainerClient c = container();
        Map<String, String> metadata = Map.of("sha256", bundle.sha256(), "bundle", bundle.name());
        BlockBlobClient blob = c.getBlobClient(name.bundleKey()).getBlockBlobClient();
        try {
            AtomicLong sent = new AtomicLong();
            upload(blob, Content.of(bundle.path(), bundle.bytes()), bundle.md5(), "application/zstd", metadata,
                    n -> progress.sent(bundle.fileName(), sent.addAndGet(n), bundle.bytes()));
            BlobProperties p = blob.getProperties();
            String md5 = p.getContentMd5() == null ? "" : HexFormat.of().formatHex(p.getContentMd5());
            if (!md5.equals(bundle.md5())) {
                throw new ShipException(ShipException.Kind.INTEGRITY, describe,
                        name.bundleKey() + " reads back with MD5 " + md5 + ", expected " + bundle.md5());
            }
            String manifestMd5 = HexFormat.of().formatHex(LocalBundle.digest("MD5").digest(bundle.manifest()));
            BlockBlobClient manifest = c.getBlobClient(name.manifestKey()).getBlockBlobClient();
            upload(manifest, Content.of(bundle.manifest()), manifestMd5, "application/json", metadata, n -> {});
            return new StoredBundle(uri(c, name.bundleKey()), p.getBlobSize(), p.getMetadata().getOrDefault("sha256", ""));
        } catch (ShipException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShipException(ShipException.Kind.FAILED, describe, "interrupted: the agent is stopping");
        } catch (Exception e) {
            throw failure(e, name.bundleKey());
        }
    }

    private void upload(BlockBlobClient blob, Content content, String md5Hex, String contentType,
            Map<String, String> metadata, java.util.function.LongConsumer sent) throws Exception {
        List<String> ids = chunks.upload(content.chunks(blockSize), sent, chunk -> {
            // Block ids must all have the same length; a fixed-width index also makes a retry restage the same ids.
            String id = Base64.getEncoder().encodeToString(
                    String.format(Locale.ROOT, "aod-%08d", chunk.index()).getBytes(StandardCharsets.US_ASCII));
            BinaryData data = content.file() != null
                    ? BinaryData.fromFile(content.file(), chunk.offset(), (long) chunk.length())
                    : BinaryData.fromBytes(Arrays.copyOfRange(content.bytes(), (int) chunk.offset(),
                            (int) chunk.offset() + chunk.length()));
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, data).setContentMd5(chunk.md5()), TIMEOUT,
                    Context.NONE);
            return id;
        });
        blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(new BlobHttpHeaders().setContentType(contentType).setContentMd5(HexFormat.of().parseHex(md5Hex)))
                .setMetadata(metadata), TIMEOUT, Context.NONE);
    }

    /** The blob's URL as engineers type it (the SDK's own escapes every '/'); never with a SAS. */
    private static String uri(BlobContainerClient c, String key) {
        return c.getBlobContainerUrl() + "/" + key;
    }

    private ShipException failure(Exception e, String what) {
        BlobStorageException storage = cause(e, BlobStorageException.class);
        if (storage != null) {
            String code = storage.getErrorCode() == null ? "" : " " + storage.getErrorCode();
            int status = storage.getStatusCode();
            if (status == 401 || status == 403) {
                container = null; // the next attempt reads the credential files again (a rotated Secret)
                return new ShipException(ShipException.Kind.CREDENTIALS, describe, "HTTP " + status + code);
            }
            if (status == 404) {
                return new ShipException(ShipException.Kind.NOT_FOUND, describe, what + ": HTTP 404" + code);
            }
            if (status == 400 && code.contains("Md5Mismatch")) {
                return new ShipException(ShipException.Kind.INTEGRITY, describe, what + ": HTTP 400" + code);
            }
            return new ShipException(ShipException.Kind.FAILED, describe, what + ": HTTP " + status + code);
        }
        if (cause(e, CredentialUnavailableException.class) != null || cause(e, ClientAuthenticationException.class) != null) {
            container = null;
            return new ShipException(ShipException.Kind.CREDENTIALS, describe, firstLine(e));
        }
        if (Failures.isConnectivity(e)) {
            return new ShipException(ShipException.Kind.UNREACHABLE, describe, Failures.rootMessage(e));
        }
        if (e instanceof IllegalArgumentException && e.getStackTrace().length > 0
                && e.getStackTrace()[0].getClassName().startsWith("java.util.Base64")) {
            container = null;
            return new ShipException(ShipException.Kind.CREDENTIALS, describe, "the account key in connectionStringFile "
                    + target.connectionStringFile() + " is not base64");
        }
        return new ShipException(ShipException.Kind.FAILED, describe, what + ": " + Failures.rootMessage(e));
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        chunks.close();
    }
}
