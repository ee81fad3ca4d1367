package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils;
import org.junit.jupiter.api.Test;

class LoggingTest {
    @Test
    void fabric8sWarningAboutAlphaVersionsIsSilencedByTheClassThatLogsIt() {
        LoggerContext context = new LoggerContext();
        Logging.configure(context, Logging.Format.TEXT);
        assertThat(context.getLogger(VersionUsageUtils.class).getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("dev.aod.agent.Agent").getEffectiveLevel()).isEqualTo(Level.INFO);
    }
}
