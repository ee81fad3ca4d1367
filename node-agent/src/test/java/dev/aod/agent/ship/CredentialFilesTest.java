package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aod.config.UploadTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingKeyFileIsACredentialErrorNamingTheSettingAndFile() {
        UploadTarget.S3 target = new UploadTarget.S3("diag", "aod", "us-east-1", "http://127.0.0.1:1", true,
                tmp.resolve("id").toString(), tmp.resolve("secret").toString());

        try (BundleStore store = BundleStores.open(target)) {
            assertThatThrownBy(store::probe).isInstanceOfSatisfying(ShipException.class, e -> {
                assertThat(e.kind()).isEqualTo(ShipException.Kind.CREDENTIALS);
                assertThat(e.getMessage()).isEqualTo("s3 bucket diag at http://127.0.0.1:1: credentials refused: "
                        + "accessKeyIdFile " + tmp.resolve("id") + " does not exist");
            });
        }
    }

    @Test
    void aGarbledConnectionStringIsReportedWithoutItsContent() throws Exception {
        Path file = Files.writeString(tmp.resolve("cs"), "AccountName=x;AccountKey=c2VjcmV0;Garbage\n");
        UploadTarget.AzureBlob target = new UploadTarget.AzureBlob("", "bundles", "aod", file.toString(), "");

        try (BundleStore store = BundleStores.open(target)) {
            assertThatThrownBy(store::probe).isInstanceOfSatisfying(ShipException.class, e -> {
                assertThat(e.kind()).isEqualTo(ShipException.Kind.CREDENTIALS);
                assertThat(e.getMessage()).startsWith("azureBlob container bundles: credentials refused: connectionStringFile "
                        + file + " is not usable").doesNotContain("c2VjcmV0");
            });
        }
    }

    @Test
    void anAccountKeyThatIsNotBase64IsACredentialError() throws Exception {
        Path file = Files.writeString(tmp.resolve("cs"), "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=not*base64!;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;\n");
        UploadTarget.AzureBlob target = new UploadTarget.AzureBlob("", "bundles", "aod", file.toString(), "");

        try (BundleStore store = BundleStores.open(target)) {
            assertThatThrownBy(store::probe).isInstanceOfSatisfying(ShipException.class, e -> {
                assertThat(e.kind()).isEqualTo(ShipException.Kind.CREDENTIALS);
                assertThat(e.getMessage()).isEqualTo("azureBlob container bundles: credentials refused: the account key in "
                        + "connectionStringFile " + file + " is not base64");
            });
        }
    }

    @Test
    void secretsAreScrubbedFromAnyMessage() {
        assertThat(Redaction.scrub("GET https://a.blob.core.windows.net/c/x?sv=1&sig=AbC%2Bd&se=2 failed; AccountKey=abc=="))
                .isEqualTo("GET https://a.blob.core.windows.net/c/x?sv=1&sig=***&se=2 failed; AccountKey=***");
    }
}
