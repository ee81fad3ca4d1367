package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
    @TempDir
    Path dir;

    @Test
    void removesCredentialsAndKeepsTheRest() throws Exception {
        Path f = dir.resolve("log.txt");
        Files.writeString(f, """
                mount -t cifs //srv/share /mnt -o username=aod,password=s3cr3t,vers=3.1.1
                DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc123==;EndpointSuffix=core.windows.net
                GET /c/b?sv=2024&sig=Zm9vYmFy&se=2030 HTTP/1.1
                Authorization: Bearer eyJhbGciOi
                aws_secret_access_key = wJalrXUtnFEMI
                -----BEGIN RSA PRIVATE KEY-----
                MIIEpAIBAAKCAQEA
                -----END RSA PRIVATE KEY-----
                bypass=1 passes=3 CIFS: VFS: \\\\srv has not responded in 180 seconds
                """);

        int n = Redactor.redact(f);

        String text = Files.readString(f);
        assertThat(n).isEqualTo(6);
        assertThat(text).doesNotContain("s3cr3t", "abc123==", "Zm9vYmFy", "eyJhbGciOi", "wJalrXUtnFEMI", "MIIEpAIBAAKCAQEA")
                .contains("username=aod,password=<redacted>,vers=3.1.1", "AccountKey=<redacted>;EndpointSuffix",
                        "sig=<redacted>&se=2030", "Authorization: <redacted>", "aws_secret_access_key = <redacted>",
                        "-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n-----END RSA PRIVATE KEY-----",
                        "bypass=1 passes=3 CIFS: VFS");
        assertThat(Redactor.redact(f)).as("redacting twice changes nothing").isZero();
    }

    @Test
    void leavesBinaryFilesAlone() throws Exception {
        Path pcap = dir.resolve("a.pcap");
        byte[] bytes = "password=x\0\1\2".getBytes();
        Files.write(pcap, bytes);

        assertThat(Redactor.redact(pcap)).isZero();
        assertThat(Files.readAllBytes(pcap)).isEqualTo(bytes);
    }
}
