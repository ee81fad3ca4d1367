package dev.aod.agent.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code smbinfo} for every SMB mount of the host: the file information the server returns for the
 * share root, reached through the host's pid 1 from a container. (AODv2 recorded only smbinfo's
 * usage text.)
 */
public record SmbinfoAction(HostPaths host, Duration timeout) implements CaptureAction {

    @Override
    public String name() {
        return "smbinfo";
    }

    @Override
    public String fileName() {
        return "cifs/smbinfo.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        List<String> mounts = MountsOfType.of(host.mountTable("mounts"), Set.of("cifs", "smb3"));
        if (mounts.isEmpty()) {
            throw new SkippedException("no SMB mount");
        }
        Duration each = timeout.dividedBy(mounts.size() * 2L);
        int worst = 0;
        for (String mount : mounts) {
            for (String query : List.of("fileallinfo", "fsctl-getobjid")) {
                Files.writeString(out, "== smbinfo " + query + " " + mount + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                int rc = CommandAction.run(List.of("smbinfo", query, host.hostPath(mount).toString()), out, err, each);
                worst = Math.max(worst, rc);
            }
        }
        return worst;
    }
}
