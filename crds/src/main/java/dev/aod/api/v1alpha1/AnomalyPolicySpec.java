package dev.aod.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Map;

public class AnomalyPolicySpec {
    private Map<String, String> nodeSelector;
    private List<String> protocols;
    @Min(0)
    private Integer defaultThresholdMs;
    private Boolean suspend;

    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<String> getProtocols() { return protocols; }
    public void setProtocols(List<String> protocols) { this.protocols = protocols; }
    public Integer getDefaultThresholdMs() { return defaultThresholdMs; }
    public void setDefaultThresholdMs(Integer defaultThresholdMs) { this.defaultThresholdMs = defaultThresholdMs; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
}
