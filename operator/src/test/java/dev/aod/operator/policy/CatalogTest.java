package dev.aod.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.Action;
import dev.aod.api.v1alpha1.SessionEventType;
import dev.aod.config.ActionNames;
import dev.aod.protocol.SessionEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The API's enums against the agent's catalogs: an action or event added to one must be added to the other. */
class CatalogTest {

    @Test
    void actionsAreTheAgentsActions() {
        assertThat(Action.agentNames()).containsExactlyElementsOf(ActionNames.ALL);
    }

    @Test
    void sessionEventsAreTheAgentsSessionEvents() {
        assertThat(Arrays.stream(SessionEventType.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(SessionEvent.values()).map(Enum::name).toList());
        for (SessionEventType t : SessionEventType.values()) {
            assertThat(PolicyTranslator.agent(t.protocol())).isEqualTo(SessionEvent.valueOf(t.name()).protocol());
        }
    }
}
