package dev.aod.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Timestamp;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the API server does with a custom resource of a generated CRD, short of running one:
 * defaults from the schema, OpenAPI validation (types, enums, ranges, patterns, required fields,
 * unknown fields as kubectl's strict field validation reports them) with a JSON-schema validator,
 * list-type uniqueness, then every {@code x-kubernetes-validations} CEL rule evaluated by Google's
 * CEL implementation for Java at its place in the object, transition rules only on update.
 *
 * <p>Differences from the API server, known and accepted: CEL is type-checked dynamically
 * (the API server checks against the schema's types when the CRD is created; here each rule is
 * evaluated on passing and failing samples instead), the CEL cost budget is not estimated, and
 * Kubernetes' own CEL library functions (quantity, url, ...) are absent; the rules use none.
 */
public final class KubeValidator {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();

    private final JsonNode crd;
    private final JsonNode schema;
    private final JsonSchema jsonSchema;
    private final Map<String, CelAbstractSyntaxTree> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private KubeValidator(JsonNode crd) {
        this.crd = crd;
        this.schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ROOT)
                .build();
        this.jsonSchema = factory.getSchema(toJsonSchema(schema, true), config);
        compileAll(schema);
    }

    private static final Map<String, KubeValidator> BY_PLURAL = new java.util.concurrent.ConcurrentHashMap<>();

    /** The CRD generated into {@code META-INF/fabric8/} for a plural name, e.g. {@code anomalypolicies}. */
    public static KubeValidator forCrd(String plural) {
        return BY_PLURAL.computeIfAbsent(plural, KubeValidator::load);
    }

    private static KubeValidator load(String plural) {
        String resource = "/META-INF/fabric8/" + plural + ".aod.dev-v1.yml";
        try (InputStream in = KubeValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no generated CRD " + resource);
            }
            return new KubeValidator(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode crd() {
        return crd;
    }

    /** Every CEL rule of the CRD by the schema path it sits at ({@code spec.latency}, {@code <root>}). */
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        collectRules(schema, "", out);
        return out;
    }

    public record Rule(String path, String rule, String message) {}

    /** Validation of a create: the error list the API server would report, empty when the object is valid. */
    public List<String> validate(String yaml) {
        return validate(parse(yaml), null);
    }

    public List<String> validateUpdate(String yaml, String oldYaml) {
        return validate(parse(yaml), parse(oldYaml));
    }

    public List<String> validate(JsonNode object, JsonNode old) {
        JsonNode obj = object.deepCopy();
        applyDefaults(schema, obj);
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : jsonSchema.validate(obj)) {
            errors.add(kubePath(m.getInstanceLocation()) + ": " + m.getError());
        }
        checkListTypes(schema, obj, "", errors);
        evaluateRules(schema, obj, old == null ? null : withDefaults(old), "", errors);
        return errors;
    }

    /** {@code spec.protocols[0]}, as the API server names fields. */
    private static String kubePath(JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer) {
                path.append('[').append(element).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(element);
            }
        }
        return path.length() == 0 ? "<root>" : path.toString();
    }

    /** The object as the API server would store it: with the schema's defaults filled in. */
    public JsonNode withDefaults(JsonNode object) {
        JsonNode copy = object.deepCopy();
        applyDefaults(schema, copy);
        return copy;
    }

    public static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- OpenAPI v3 (structural) schema → JSON Schema draft 4, as strict field validation sees it

    private static JsonNode toJsonSchema(JsonNode s, boolean root) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String key = e.getKey();
            if (key.startsWith("x-kubernetes-") || key.equals("nullable") || key.equals("default")
                    || key.equals("description")) {
                continue;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    e.getValue().properties().forEach(p -> props.set(p.getKey(), toJsonSchema(p.getValue(), false)));
                }
                case "items", "additionalProperties" -> out.set(key,
                        e.getValue().isObject() ? toJsonSchema(e.getValue(), false) : e.getValue());
                case "anyOf", "allOf", "oneOf" -> {
                    ArrayNode list = out.putArray(key);
                    e.getValue().forEach(v -> list.add(toJsonSchema(v, false)));
                }
                default -> out.set(key, e.getValue());
            }
        }
        if (root) {
            ObjectNode props = out.with("properties");
            props.putObject("apiVersion").put("type", "string");
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("type", "object");
        }
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (out.has("properties") && !out.has("additionalProperties") && !preserve) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    // --- defaulting

    private static void applyDefaults(JsonNode s, JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isObject() && s.has("properties")) {
            ObjectNode obj = (ObjectNode) value;
            s.get("properties").properties().forEach(p -> {
                JsonNode child = obj.get(p.getKey());
                if (child == null && p.getValue().has("default")) {
                    obj.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
                applyDefaults(p.getValue(), obj.get(p.getKey()));
            });
        } else if (value.isObject() && s.path("additionalProperties").isObject()) {
            value.forEach(v -> applyDefaults(s.get("additionalProperties"), v));
        } else if (value.isArray() && s.has("items")) {
            value.forEach(v -> applyDefaults(s.get("items"), v));
        }
    }

    // --- x-kubernetes-list-type

    private static void checkListTypes(JsonNode s, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            String type = s.path("x-kubernetes-list-type").asText("atomic");
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                JsonNode key = item;
                if (type.equals("map")) {
                    ObjectNode k = JsonNodeFactory.instance.objectNode();
                    s.path("x-kubernetes-list-map-keys").forEach(f -> k.set(f.asText(), item.get(f.asText())));
                    key = k;
                }
                if (!type.equals("atomic") && !seen.add(key)) {
                    errors.add(path + "[" + i + "]: Duplicate value: " + key);
                }
                checkListTypes(s.path("items"), item, path + "[" + i + "]", errors);
            }
        } else if (value.isObject()) {
            forEachChild(s, value, path, (cs, cv, cp) -> checkListTypes(cs, cv, cp, errors));
        }
    }

    // --- CEL

    private void compileAll(JsonNode s) {
        for (Rule r : rules()) {
            compile(r.rule());
        }
    }

    private CelAbstractSyntaxTree compile(String rule) {
        return compiled.computeIfAbsent(rule, r -> {
            try {
                return CEL.compile(r).getAst();
            } catch (CelValidationException e) {
                throw new IllegalArgumentException("CEL rule does not compile: " + r + "\n" + e.getMessage(), e);
            }
        });
    }

    private static void collectRules(JsonNode s, String path, List<Rule> out) {
        for (JsonNode v : s.path("x-kubernetes-validations")) {
            out.add(new Rule(path.isEmpty() ? "<root>" : path, v.get("rule").asText(), v.path("message").asText()));
        }
        s.path("properties").properties().forEach(p ->
                collectRules(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), out));
        if (s.has("items")) {
            collectRules(s.get("items"), path + "[*]", out);
        }
        if (s.path("additionalProperties").isObject()) {
            collectRules(s.get("additionalProperties"), path + "[*]", out);
        }
    }

    private void evaluateRules(JsonNode s, JsonNode value, JsonNode old, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        for (JsonNode v : s.path("x-kubernetes-validations")) {
            String rule = v.get("rule").asText();
            boolean transition = rule.contains("oldSelf");
            if (transition && (old == null || old.isNull()) && !v.path("optionalOldSelf").asBoolean(false)) {
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", toCel(s, value));
            if (transition) {
                vars.put("oldSelf", toCel(s, old));
            }
            String at = path.isEmpty() ? "<root>" : path;
            try {
                Object result = CEL.createProgram(compile(rule)).eval(vars);
                if (!(result instanceof Boolean)) {
                    errors.add(at + ": rule " + rule + " returned " + result + ", not a bool");
                } else if (!(Boolean) result) {
                    errors.add(at + ": " + (v.has("message") ? v.get("message").asText() : "failed rule: " + rule));
                }
            } catch (CelEvaluationException e) {
                errors.add(at + ": rule " + rule + " failed to evaluate: " + e.getMessage());
            }
        }
        if (value.isObject()) {
            forEachChild(s, value, path, (cs, cv, cp) -> {
                String key = cp.substring(cp.lastIndexOf('.') + 1);
                JsonNode oldChild = old != null && old.isObject() ? old.get(key) : null;
                evaluateRules(cs, cv, oldChild, cp, errors);
            });
        } else if (value.isArray() && s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                evaluateRules(s.get("items"), value.get(i), null, path + "[" + i + "]", errors);
            }
        }
    }

    private interface ChildVisitor {
        void visit(JsonNode schema, JsonNode value, String path);
    }

    private static void forEachChild(JsonNode s, JsonNode value, String path, ChildVisitor visitor) {
        value.properties().forEach(f -> {
            JsonNode cs = s.path("properties").get(f.getKey());
            if (cs == null && s.path("additionalProperties").isObject()) {
                cs = s.get("additionalProperties");
            }
            if (cs != null) {
                visitor.visit(cs, f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
            }
        });
    }

    /** JSON as the API server hands it to CEL: integers as int, date-time strings as timestamps. */
    static Object toCel(JsonNode s, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            value.properties().forEach(f -> {
                JsonNode cs = s.path("properties").get(f.getKey());
                if (cs == null) {
                    cs = s.path("additionalProperties");
                }
                m.put(f.getKey(), toCel(cs, f.getValue()));
            });
            return m;
        }
        if (value.isArray()) {
            List<Object> l = new ArrayList<>();
            value.forEach(v -> l.add(toCel(s.path("items"), v)));
            return l;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if ("date-time".equals(s.path("format").asText())) {
            try {
                Instant t = Instant.parse(value.asText());
                return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
            } catch (DateTimeParseException e) {
                return value.asText();
            }
        }
        return value.asText();
    }
}
