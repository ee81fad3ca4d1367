package dev.aod.e2e.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The packaged node agent, put on a guest's share; the guest sees it as /host/agent/aod-agent.jar. */
public final class AgentJar {
    private static final Path JAR = Path.of(System.getProperty("aod.agent.jar",
            E2ePaths.moduleDir().resolve("../node-agent/target/aod-agent.jar").toString()));

    /** How the guest starts it (arguments follow): C1 only and no class-data archive, as the unit runs it. */
    public static final String JAVA = "java -XX:TieredStopAtLevel=1 -Xshare:off -jar /host/agent/aod-agent.jar";

    private AgentJar() {}

    /** Copies the jar built by node-agent onto the guest's share (again, if it is there already). */
    public static void install(GuestVm guest) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build node-agent first (mvn -pl node-agent -am package)");
        }
        Path target = guest.shareDir().resolve("agent/aod-agent.jar");
        Files.createDirectories(target.getParent());
        Files.copy(JAR, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
