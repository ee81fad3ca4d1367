package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class AzureBlobShipIT extends ShipDrills {
    @Override
    StoreServer server(Path tmp) throws Exception {
        return new AzuriteServer(tmp);
    }

    @Test
    void drillWrongCredentialsIsAClearErrorAndTheBundleIsKept() throws Exception {
        wrongCredentialsDrill();
    }

    @Test
    void aSasTokenFromAFileWorksAndNeverShowsInTheBundleUri() throws Exception {
        AzuriteServer azure = (AzuriteServer) server;
        String sas = azure.container().generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setWritePermission(true)
                        .setCreatePermission(true).setAddPermission(true).setListPermission(true)));
        Path sasFile = Files.writeString(secrets.resolve("sas"), "?" + sas + "\n");
        AgentConfig config = ConfigLoader.parse("""
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                node: %s
                outputDir: %s
                upload:
                  azureBlob: {accountUrl: "%s", container: %s, sasTokenFile: %s}
                """.formatted(NODE, outputDir, azure.azurite.accountUrl(), AzuriteServer.CONTAINER, sasFile), "sas").config();
        try (LogCapture logs = new LogCapture(); Outbox outbox = Outbox.builder(config).retry(DRILL_RETRY).start()) {
            Path b = bundle("aod_sas_1", 10 << 20);

            outbox.submit(b);

            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.isShipped(b));
            assertArrivedOnce(b);
            assertThat(outbox.shipment(b).orElseThrow().uri())
                    .isEqualTo(azure.azurite.accountUrl() + "/" + AzuriteServer.CONTAINER + "/" + dir() + "aod_sas_1.tar.zst");
            String signature = sas.replaceAll(".*sig=([^&]+).*", "$1");
            assertThat(String.join("\n", logs.lines())).doesNotContain(signature);
        }
    }
}
