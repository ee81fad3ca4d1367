package dev.aod.api.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * A JSON merge patch (RFC 7386) on a generated schema, for what the generator has no annotation
 * for (list types, formats). Fabric8's own MergePatchCustomizer replaces nested properties
 * instead of merging them. Used by the CRD generator only; not packaged.
 */
public final class SchemaPatch implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        JsonNode target = serialization.convertValue(props, JsonNode.class);
        JsonNode patch = serialization.unmarshal(input, JsonNode.class);
        return serialization.convertValue(merge(target, patch), JSONSchemaProps.class);
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || !target.isObject()) {
            return patch;
        }
        ObjectNode out = ((ObjectNode) target).deepCopy();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else if (out.has(e.getKey())) {
                out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
