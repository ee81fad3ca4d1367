package dev.aod.agent.ship;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service from npm, on 127.0.0.1, started and stopped by the tests. It is installed
 * once into {@code ~/.cache/aod/npm} (or {@code $AOD_NPM_CACHE}) and reused from there.
 */
final class Azurite implements AutoCloseable {
    static final String VERSION = "3.35.0";
    static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's published development key: not a secret. */
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Path location;
    private final Path log;
    final int port;
    private Process process;

    Azurite(Path location, Path log) throws IOException {
        this.location = location;
        this.log = log;
        this.port = freePort();
    }

    String accountUrl() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    String connectionString(String key) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + key + ";BlobEndpoint="
                + accountUrl() + ";";
    }

    void start() throws IOException, InterruptedException {
        Path bin = install();
        Files.createDirectories(location);
        process = new ProcessBuilder(List.of(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                String.valueOf(port), "--location", location.toString(), "--skipApiVersionCheck", "--loose", "--silent"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!listening(port)) {
            if (!process.isAlive()) {
                throw new IOException("azurite-blob exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("azurite-blob did not listen on 127.0.0.1:" + port + " within 60 s; see " + log);
            }
            Thread.sleep(100);
        }
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static Path install() throws IOException, InterruptedException {
        String override = System.getenv("AOD_NPM_CACHE");
        Path cache = override != null && !override.isEmpty() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "aod", "npm");
        Path bin = cache.resolve("node_modules/.bin/azurite-blob");
        Files.createDirectories(cache);
        try (FileChannel lockFile = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            if (Files.isExecutable(bin) && Files.readString(cache.resolve("node_modules/azurite/package.json"))
                    .contains("\"version\": \"" + VERSION + "\"")) {
                return bin;
            }
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "install", "--prefix", cache.toString(), "--no-audit", "--no-fund",
                        "--loglevel=error", "azurite@" + VERSION).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("the Azure Blob tests need npm to install Azurite (apt-get install nodejs npm)", e);
            }
            String output = new String(npm.getInputStream().readAllBytes());
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isExecutable(bin)) {
                throw new IOException("npm install azurite@" + VERSION + " failed:\n" + output);
            }
            return bin;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
