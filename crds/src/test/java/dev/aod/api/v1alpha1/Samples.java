package dev.aod.api.v1alpha1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

final class Samples {
    static final String POLICY = read("anomalypolicy.yaml");
    static final String POLICY_NODE = read("anomalypolicynode.yaml");
    static final String EVENT = read("anomalyevent.yaml");

    private Samples() {}

    static String read(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
