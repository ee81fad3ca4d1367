package dev.aod.agent.kube;

import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Status writes as JSON patches (RFC 6902): the whole status, or only the fields the agent owns,
 * so that what the operator sets there (an event's crossNode) stays. Lists are replaced, on a real
 * API server and on Fabric8's mock server alike (whose JSON merge patch appends to lists).
 */
final class StatusPatch {
    private StatusPatch() {}

    static void whole(Resource<?> resource, Object status) {
        patch(resource, List.of(op("/status", status)));
    }

    /** Sets each non-null field of {@code status} under an existing /status. */
    static void fields(Resource<?> resource, Object status) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = Serialization.jsonMapper().convertValue(status, LinkedHashMap.class);
        List<Map<String, Object>> ops = new ArrayList<>();
        values.forEach((k, v) -> {
            if (v != null) {
                ops.add(op("/status/" + k, v));
            }
        });
        patch(resource, ops);
    }

    private static Map<String, Object> op(String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "add");
        op.put("path", path);
        op.put("value", value);
        return op;
    }

    private static void patch(Resource<?> resource, List<Map<String, Object>> ops) {
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    }
}
