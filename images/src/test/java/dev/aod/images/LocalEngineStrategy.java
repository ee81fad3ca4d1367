package dev.aod.images;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points Testcontainers at the engine these tests started ({@link LocalEngine}). Registered as a
 * service (META-INF/services) with a priority above the default socket's, applicable once the engine
 * runs, and not persisted to ~/.testcontainers.properties (a strategy named there or in
 * TESTCONTAINERS_DOCKER_CLIENT_STRATEGY would have to be), so other projects here are not affected.
 * A DOCKER_HOST in the environment would still take precedence: the tests' images would not be there.
 */
public final class LocalEngineStrategy extends DockerClientProviderStrategy {
    private static volatile String dockerHost;

    static void use(LocalEngine engine) {
        dockerHost = engine.dockerHost();
    }

    @Override
    public String getDescription() {
        return "the engine started by the AOD image tests (" + dockerHost + ")";
    }

    @Override
    public TransportConfig getTransportConfig() throws InvalidConfigurationException {
        String host = dockerHost;
        if (host == null) {
            throw new InvalidConfigurationException("the AOD image tests have not started their engine yet");
        }
        return TransportConfig.builder().dockerHost(URI.create(host)).build();
    }

    @Override
    protected boolean isApplicable() {
        return dockerHost != null;
    }

    @Override
    protected int getPriority() {
        return 1000;
    }

    @Override
    protected boolean isPersistable() {
        return false;
    }
}
