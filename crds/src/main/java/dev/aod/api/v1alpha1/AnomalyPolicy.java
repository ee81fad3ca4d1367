package dev.aod.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** What to watch, on which nodes, with which thresholds. Cluster-scoped. */
@Group("aod.dev")
@Version("v1alpha1")
@ShortNames("ap")
public class AnomalyPolicy extends CustomResource<AnomalyPolicySpec, AnomalyPolicyStatus> {
}
