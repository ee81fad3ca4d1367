package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

    @Test
    void keepsEveryOtherByteOfALargeFileThatIsNotUtf8() throws Exception {
        Path f = dir.resolve("ftrace.txt");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            byte[] line = (" kworker-" + i + " [001] smb3_cmd_done: mid=" + i + " \u00e9\n").getBytes(StandardCharsets.UTF_8);
            expected.write(line);
            written.write(line);
        }
        byte[] latin1 = {'\t', (byte) 0xe9, (byte) 0xff, '\r', '\n'};
        expected.write(latin1);
        written.write(latin1);
        written.write("mount.cifs password=s3cr3t".getBytes(StandardCharsets.US_ASCII));
        expected.write(("mount.cifs password=" + Redactor.MASK).getBytes(StandardCharsets.US_ASCII));
        Files.write(f, written.toByteArray());

        assertThat(Redactor.redact(f)).isEqualTo(1);

        assertThat(Files.readAllBytes(f)).as("the file but its password, no newline added at its end")
                .isEqualTo(expected.toByteArray());
        assertThat(dir.resolve("ftrace.txt.redacting")).doesNotExist();
    }
}
