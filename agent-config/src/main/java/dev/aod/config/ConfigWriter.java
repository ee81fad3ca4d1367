package dev.aod.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.aod.protocol.SessionEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an {@link AgentConfig} as AOD's own YAML, every setting explicit: what check-config prints
 * and what the operator renders into a node's ConfigMap. {@link ConfigLoader} reads it back equal.
 */
public final class ConfigWriter {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private ConfigWriter() {}

    public static String toYaml(AgentConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", AgentConfig.API_VERSION);
        root.put("kind", AgentConfig.KIND);
        if (!c.node().isEmpty()) {
            root.put("node", c.node());
        }
        root.put("outputDir", c.outputDir().toString());
        root.put("bundleDir", c.bundleDir().toString());
        root.put("pollInterval", Units.formatDuration(c.pollInterval()));
        root.put("anomalies", c.anomalies().stream().map(ConfigWriter::anomaly).toList());
        root.put("capture", capture(c.capture()));
        root.put("retention", map("interval", Units.formatDuration(c.retention().interval()),
                "maxAge", Units.formatDuration(c.retention().maxAge()),
                "maxTotalSize", Units.formatSize(c.retention().maxTotalBytes())));
        c.upload().ifPresent(u -> root.put("upload", upload(u)));
        root.put("metrics", map("address", c.metrics().address(), "port", c.metrics().port()));
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> anomaly(AnomalySpec a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        if (!a.policy().isEmpty()) {
            m.put("policy", a.policy());
        }
        m.put("type", a.type());
        m.put("protocol", a.protocol().name().toLowerCase(Locale.ROOT));
        if (a instanceof LatencySpec l) {
            m.put("layer", l.layer().name().toLowerCase(Locale.ROOT));
            m.put("mode", "trackonly");
            Map<String, Object> track = new LinkedHashMap<>();
            l.thresholds().forEach((op, t) -> track.put(op, Units.formatDuration(t)));
            m.put("track", track);
            m.put("minCount", l.minCount());
            m.put("window", Units.formatDuration(l.window()));
            m.put("ceiling", Units.formatDuration(l.ceiling()));
        } else if (a instanceof ErrorSpec e) {
            m.put("layer", e.layer().name().toLowerCase(Locale.ROOT));
            m.put("mode", e.excludeCodes() ? "all" : "trackonly");
            m.put(e.excludeCodes() ? "excludeCodes" : "codes", List.copyOf(e.codes()));
            if (!e.operations().isEmpty()) {
                m.put("operations", List.copyOf(e.operations()));
            }
            m.put("minCount", e.minCount());
            m.put("window", Units.formatDuration(e.window()));
        } else if (a instanceof HungSpec h) {
            m.put("after", Units.formatDuration(h.after()));
            if (!h.operations().isEmpty()) {
                m.put("operations", List.copyOf(h.operations()));
            }
        } else if (a instanceof SessionSpec s) {
            m.put("events", s.events().stream().map(SessionEvent::key).toList());
            m.put("minCount", s.minCount());
            m.put("window", Units.formatDuration(s.window()));
        }
        m.put("cooldown", Units.formatDuration(a.cooldown()));
        if (!a.mounts().isEmpty()) {
            m.put("mounts", a.mounts().stream().map(f -> {
                Map<String, Object> mf = new LinkedHashMap<>();
                if (!f.server().isEmpty()) {
                    mf.put("server", f.server());
                }
                if (!f.share().isEmpty()) {
                    mf.put("share", f.share());
                }
                return mf;
            }).toList());
        }
        m.put("actions", a.actions());
        return m;
    }

    private static Map<String, Object> capture(CaptureSettings c) {
        return map("maxConcurrentBundles", c.maxConcurrentBundles(),
                "actionTimeout", Units.formatDuration(c.actionTimeout()),
                "kernelLogWindow", Units.formatDuration(c.kernelLogWindow()),
                "flightRecorder", Units.formatDuration(c.flightRecorder()),
                "minFreeSpace", Units.formatSize(c.minFreeBytes()),
                "ftrace", map("enabled", c.ftrace().enabled(), "bufferSizeKb", c.ftrace().bufferSizeKb(),
                        "systems", c.ftrace().systems(), "exclude", c.ftrace().exclude()),
                "packetCapture", map("enabled", c.packetCapture().enabled(), "ports", c.packetCapture().ports(),
                        "rotateSize", Units.formatSize(c.packetCapture().rotateBytes()),
                        "rotateFiles", c.packetCapture().rotateFiles(), "snapLength", c.packetCapture().snapLength()),
                "verbose", map("cifsFyi", c.verbose().cifsFyi(), "rpcDebug", c.verbose().rpcDebug(),
                        "duration", Units.formatDuration(c.verbose().duration())));
    }

    private static Map<String, Object> upload(UploadTarget u) {
        if (u instanceof UploadTarget.Directory d) {
            return map("directory", map("path", d.path().toString(), "prefix", d.prefix()));
        }
        if (u instanceof UploadTarget.AzureBlob a) {
            return map("azureBlob", nonEmpty(map("accountUrl", a.accountUrl(), "container", a.container(),
                    "prefix", a.prefix(), "connectionStringFile", a.connectionStringFile(),
                    "sasTokenFile", a.sasTokenFile())));
        }
        UploadTarget.S3 s = (UploadTarget.S3) u;
        return map("s3", nonEmpty(map("bucket", s.bucket(), "prefix", s.prefix(), "region", s.region(),
                "endpoint", s.endpoint(), "pathStyle", s.pathStyle(), "accessKeyIdFile", s.accessKeyIdFile(),
                "secretAccessKeyFile", s.secretAccessKeyFile())));
    }

    private static Map<String, Object> nonEmpty(Map<String, Object> m) {
        m.values().removeIf(v -> v instanceof String s && s.isEmpty());
        return m;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
