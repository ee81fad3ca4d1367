package dev.aod.agent.ship;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Azurite (npm) on 127.0.0.1 with its data in a temporary directory that outlives stop and start. */
final class AzuriteServer implements StoreServer {
    static final String CONTAINER = "aod-bundles";

    final Azurite azurite;
    private boolean created;

    AzuriteServer(Path tmp) throws Exception {
        this.azurite = new Azurite(tmp.resolve("azurite"), tmp.resolve("azurite.log"));
    }

    @Override
    public String name() {
        return "azureBlob (Azurite)";
    }

    @Override
    public void start() throws Exception {
        azurite.start();
        if (!created) {
            container().createIfNotExists();
            created = true;
        }
    }

    @Override
    public void stop() throws Exception {
        azurite.stop();
    }

    BlobContainerClient container() {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString(Azurite.KEY)).buildClient()
                .getBlobContainerClient(CONTAINER);
    }

    @Override
    public String uploadYaml(Path secrets, String wrongSecret) throws Exception {
        Files.writeString(secrets.resolve("connection-string"),
                azurite.connectionString(wrongSecret == null ? Azurite.KEY : wrongSecret) + "\n");
        return """
                azureBlob:
                  container: %s
                  prefix: aod
                  connectionStringFile: %s
                """.formatted(CONTAINER, secrets.resolve("connection-string"));
    }

    @Override
    public void fixCredentials(Path secrets) throws Exception {
        Files.writeString(secrets.resolve("connection-string"), azurite.connectionString(Azurite.KEY) + "\n");
    }

    @Override
    public Map<String, String> objects(String prefix) throws Exception {
        Map<String, String> out = new TreeMap<>();
        BlobContainerClient c = container();
        for (BlobItem item : c.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            MessageDigest sha = LocalBundle.digest("SHA-256");
            try (InputStream in = c.getBlobClient(item.getName()).openInputStream()) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            out.put(item.getName(), HexFormat.of().formatHex(sha.digest()));
        }
        return out;
    }

    @Override
    public List<String> leftovers(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        BlobContainerClient c = container();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix)
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
        for (BlobItem item : c.listBlobs(options, null)) {
            int uncommitted = c.getBlobClient(item.getName()).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED)
                    .getUncommittedBlocks().size();
            if (uncommitted > 0) {
                out.add(uncommitted + " uncommitted block(s) of " + item.getName());
            }
        }
        return out;
    }

    @Override
    public String secret() {
        return Azurite.KEY;
    }

    @Override
    public void close() throws Exception {
        azurite.close();
    }
}
