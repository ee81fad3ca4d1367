package dev.aod.agent;

import dev.aod.config.ConfigLoader;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when its content changes (polling, which also sees a Kubernetes
 * ConfigMap's symlink swap). A valid new configuration is applied; an invalid one is rejected with
 * its errors and the running one stays.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Consumer<LoadedConfig> apply;
    private final Consumer<InvalidConfigException> reject;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aod-config-watch");
        t.setDaemon(true);
        return t;
    });
    private byte[] last;

    ConfigWatcher(Path file, byte[] current, Consumer<LoadedConfig> apply, Consumer<InvalidConfigException> reject) {
        this.file = file;
        this.last = current;
        this.apply = apply;
        this.reject = reject;
    }

    void start(long periodMs) {
        timer.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    synchronized void check() {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
        } catch (IOException e) {
            log.warn("configuration {} cannot be read ({}); the running configuration stays", file, e.toString());
            return;
        }
        if (Arrays.equals(now, last)) {
            return;
        }
        last = now;
        try {
            LoadedConfig loaded = ConfigLoader.parse(new String(now, java.nio.charset.StandardCharsets.UTF_8), file.toString());
            loaded.notices().forEach(n -> log.info("config notice: {}", n));
            apply.accept(loaded);
        } catch (InvalidConfigException e) {
            log.error("configuration {} changed but is invalid; the running configuration stays:", file);
            e.errors().forEach(err -> log.error("  {}", err));
            reject.accept(e);
        } catch (RuntimeException e) {
            log.error("configuration {} could not be applied; the running configuration stays", file, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
