package dev.aod.agent.ship;

import ch.qos.logback.classic.Level;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Upload throughput of one bundle to each store on loopback, through the whole outbox (hashing,
 * existence check, upload, read-back). Run by {@code bench/ship-throughput.sh}; not a test.
 * Arguments: {@code [MiB] [rounds] [stores...]} with stores among directory, s3, azure.
 */
public final class ShipBenchmark {
    private ShipBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> stores = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("directory", "s3", "azure");
        for (String quiet : List.of("org.gaul", "org.eclipse", "com.azure", "software.amazon", "dev.aod.agent.ship")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(quiet)).setLevel(Level.WARN);
        }
        Path tmp = Files.createTempDirectory("aod-ship-bench");
        try {
            Path bundles = Files.createDirectories(tmp.resolve("bundles"));
            List<Path> made = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                made.add(TestBundles.make(bundles, "aod_bench_" + r, (long) mib << 20, Instant.now()));
            }
            long bytes = Files.size(made.get(0));
            System.out.printf(Locale.ROOT, "bundle: %.1f MiB (incompressible), %d round(s) per store, loopback, %d cores%n",
                    bytes / 1048576.0, rounds, Runtime.getRuntime().availableProcessors());
            for (String store : stores) {
                Path dir = Files.createDirectories(tmp.resolve(store));
                try (StoreServer server = switch (store) {
                    case "directory" -> new DirectoryServer(dir);
                    case "s3" -> new S3ProxyServer(dir.resolve("s3proxy"));
                    case "azure" -> new AzuriteServer(dir);
                    default -> throw new IllegalArgumentException("unknown store " + store);
                }) {
                    server.start();
                    List<Double> rates = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        rates.add(ship(server, dir.resolve("round-" + r), made.get(r), bytes));
                    }
                    rates.sort(Comparator.naturalOrder());
                    System.out.printf(Locale.ROOT, "%-20s median %6.1f MiB/s   (rounds: %s)%n", server.name(),
                            rates.get(rates.size() / 2), rates.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
                }
            }
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static double ship(StoreServer server, Path work, Path bundle, long bytes) throws Exception {
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Path out = Files.createDirectories(work.resolve("out"));
        AgentConfig config = ConfigLoader.parse("""
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                node: bench
                outputDir: %s
                upload:
                %s
                """.formatted(out, server.uploadYaml(secrets, null).indent(2).stripTrailing()), "bench").config();
        try (Outbox outbox = Outbox.builder(config).bundleDir(null).start()) {
            long started = System.nanoTime();
            outbox.submit(bundle);
            long deadline = started + Duration.ofMinutes(5).toNanos();
            while (!outbox.isShipped(bundle)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not shipped within 5 minutes: " + outbox.status());
                }
                Thread.sleep(2);
            }
            return bytes / 1048576.0 / ((System.nanoTime() - started) / 1e9);
        }
    }
}
