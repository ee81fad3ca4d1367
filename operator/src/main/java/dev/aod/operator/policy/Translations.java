package dev.aod.operator.policy;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translations by policy uid and generation: every node reconciliation needs every policy's,
 * and a policy's translation only changes with its spec.
 */
public final class Translations {
    private final PolicyTranslator translator;
    private final Map<String, Translation> byVersion = new ConcurrentHashMap<>();

    public Translations(PolicyTranslator translator) {
        this.translator = translator;
    }

    public Translation of(AnomalyPolicy policy) {
        String key = policy.getMetadata().getUid() + "/" + policy.getMetadata().getName() + "/"
                + (policy.getMetadata().getGeneration() != null ? "g" + policy.getMetadata().getGeneration()
                : "r" + policy.getMetadata().getResourceVersion());
        if (byVersion.size() > 10_000) {
            byVersion.clear();
        }
        return byVersion.computeIfAbsent(key, k -> translator.translate(policy));
    }
}
