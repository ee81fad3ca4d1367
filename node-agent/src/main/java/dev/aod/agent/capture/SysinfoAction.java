package dev.aod.agent.capture;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The system a bundle comes from: OS release, kernel, command line, and the versions and parameters of the client modules. */
public record SysinfoAction(Path procRoot, Path sysRoot, Path etcRoot, Duration timeout) implements CaptureAction {
    private static final List<String> MODULES = List.of("cifs", "smb3", "nfs", "nfsv3", "nfsv4", "sunrpc", "rpcsec_gss_krb5");

    @Override
    public String name() {
        return "sysinfo";
    }

    @Override
    public String fileName() {
        return "sysinfo.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            section(w, "os-release", etcRoot.resolve("os-release"));
            section(w, "kernel (/proc/version)", procRoot.resolve("version"));
            section(w, "kernel command line", procRoot.resolve("cmdline"));
            section(w, "hostname", procRoot.resolve("sys/kernel/hostname"));
            section(w, "uptime", procRoot.resolve("uptime"));
            section(w, "loadavg", procRoot.resolve("loadavg"));
            section(w, "meminfo", procRoot.resolve("meminfo"));
            w.write("== modules\n");
            Path modules = procRoot.resolve("modules");
            if (Files.exists(modules)) {
                for (String line : Files.readAllLines(modules)) {
                    if (MODULES.contains(line.split(" ", 2)[0])) {
                        w.write(line + "\n");
                    }
                }
            } else {
                w.write("(no /proc/modules: this kernel has no loadable modules)\n");
            }
            for (String module : MODULES) {
                Path dir = sysRoot.resolve("module").resolve(module);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                w.write("\n== module " + module + "\n");
                for (String f : List.of("version", "srcversion")) {
                    if (Files.exists(dir.resolve(f))) {
                        w.write(f + ": " + Files.readString(dir.resolve(f)).strip() + "\n");
                    }
                }
                Path params = dir.resolve("parameters");
                if (Files.isDirectory(params)) {
                    try (Stream<Path> ps = Files.list(params)) {
                        for (Path p : ps.sorted().toList()) {
                            w.write("parameter " + p.getFileName() + " = " + readQuietly(p) + "\n");
                        }
                    }
                }
            }
        }
        return 0;
    }

    private static void section(Writer w, String title, Path file) throws IOException {
        w.write("== " + title + "\n" + readQuietly(file).replace('\0', ' ') + "\n\n");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
