package dev.aod.api.v1alpha1;

public class AnomalyPolicyStatus {
    private Long observedGeneration;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
