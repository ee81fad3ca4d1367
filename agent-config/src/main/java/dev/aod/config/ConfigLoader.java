package dev.aod.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a configuration into a validated {@link LoadedConfig}, reporting every error with its field
 * path. Two formats: AOD's own ({@code apiVersion: aod.dev/v1alpha1}) and AODv2's config.yaml.
 */
public final class ConfigLoader {
    public static final String DEFAULT_RESOURCE = "/dev/aod/config/default-config.yaml";
    public static final String FORMAT_NATIVE = AgentConfig.API_VERSION + " AgentConfig";
    public static final String FORMAT_AODV2 = "AODv2 config.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private ConfigLoader() {}

    public static LoadedConfig load(Path file) throws InvalidConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(file.toString(), List.of(new ConfigError("(file)", null, "does not exist")));
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(),
                    List.of(new ConfigError("(file)", null, "cannot be read: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** The configuration built into the agent: AODv2's shipped config.yaml. */
    public static LoadedConfig loadDefault() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded default (AODv2's config.yaml)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("the embedded default configuration is invalid", e);
        }
    }

    public static LoadedConfig parse(String yaml, String source) throws InvalidConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(source, List.of(new ConfigError("(file)", null,
                    "is not valid YAML: " + e.getOriginalMessage() + at(e))));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidConfigException(source, List.of(new ConfigError("(file)", null, "is empty")));
        }
        if (!tree.isObject()) {
            throw new InvalidConfigException(source, List.of(new ConfigError("(file)", null,
                    "must be a mapping: an AgentConfig (apiVersion: " + AgentConfig.API_VERSION
                            + ") or an AODv2 config.yaml")));
        }
        ConfigProblems problems = new ConfigProblems();
        ConfigNode root = new ConfigNode(tree, "", problems);
        boolean aodv2 = !tree.has("apiVersion") && !tree.has("kind")
                && Aodv2Reader.ROOT_KEYS.stream().anyMatch(tree::has);
        Optional<AgentConfig> config = aodv2 ? Aodv2Reader.read(root, problems) : NativeConfigReader.read(root, problems);
        if (config.isEmpty()) {
            throw new InvalidConfigException(source, problems.errors());
        }
        return new LoadedConfig(config.get(), source, aodv2 ? FORMAT_AODV2 : FORMAT_NATIVE, problems.notices());
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
