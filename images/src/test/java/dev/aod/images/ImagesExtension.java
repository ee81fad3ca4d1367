package dev.aod.images;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests the run's {@link LocalEngine} and {@link LocalImages}: started on first use, shared by
 * every test class of the run, stopped and removed when the run ends (JUnit's root store closes it).
 */
final class ImagesExtension implements ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ImagesExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ImagesExtension.class);

    /** Engine and images, closed in that order: the summary needs the engine. */
    static final class Harness implements AutoCloseable {
        final LocalEngine engine;
        final LocalImages images;
        final Path work;

        Harness(LocalEngine engine, LocalImages images, Path work) {
            this.engine = engine;
            this.images = images;
            this.work = work;
        }

        @Override
        public void close() throws IOException {
            try {
                String summary = images.summary();
                Files.writeString(work.resolve("summary.txt"), summary + "\n");
                LOG.info("images of this run:\n{}", summary);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                engine.close();
            }
        }
    }

    static Path imagesDir() {
        return Path.of(System.getProperty("aod.images.dir", ".")).toAbsolutePath().normalize();
    }

    static Path work() {
        return Path.of(System.getProperty("aod.images.work", "target/images-it")).toAbsolutePath().normalize();
    }

    static Harness harness(ExtensionContext context) {
        assumeTrue(new UnixSystem().getUid() == 0, "the image tests run a Docker engine and debootstrap: they need root");
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Harness.class, k -> {
            try {
                Path work = work();
                Files.createDirectories(work);
                LocalEngine engine = LocalEngine.start(work);
                LocalEngineStrategy.use(engine);
                return new Harness(engine, new LocalImages(engine, imagesDir(), work), work);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, Harness.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalEngine.class || type == LocalImages.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        Harness harness = harness(context);
        return parameter.getParameter().getType() == LocalEngine.class ? harness.engine : harness.images;
    }
}
