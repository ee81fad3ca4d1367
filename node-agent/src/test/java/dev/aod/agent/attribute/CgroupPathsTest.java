package dev.aod.agent.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupPathsTest {
    private static final String CID = "4f1c2e9a8b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e";

    @Test
    void systemdDriverWithContainerd() {
        Workload w = CgroupPaths.parse("/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod0a1b2c3d_4e5f_6071_8293_a4b5c6d7e8f9.slice/cri-containerd-" + CID + ".scope");

        assertThat(w.podUid()).isEqualTo("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        assertThat(w.containerId()).isEqualTo(CID);
        assertThat(w.isPod()).isTrue();
    }

    @Test
    void cgroupfsDriverAndCrio() {
        assertThat(CgroupPaths.parse("/kubepods/besteffort/pod0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9/" + CID))
                .extracting(Workload::podUid, Workload::containerId)
                .containsExactly("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", CID);
        assertThat(CgroupPaths.parse("/kubepods.slice/kubepods-pod0a1b2c3d_4e5f_6071_8293_a4b5c6d7e8f9.slice/crio-" + CID + ".scope")
                .containerId()).isEqualTo(CID);
    }

    @Test
    void plainHostProcessesHaveTheirUnit() {
        Workload w = CgroupPaths.parse("/system.slice/backup.service");

        assertThat(w.isPod()).isFalse();
        assertThat(w.unit()).isEqualTo("backup.service");
        assertThat(CgroupPaths.unifiedPath("0::/user.slice/user-0.slice/session-3.scope\n")).contains("/user.slice/user-0.slice/session-3.scope");
    }

    @Test
    void resolvesCgroupIdsByTheInodeOfTheirDirectory(@TempDir Path root) throws Exception {
        Path pod = root.resolve("kubepods.slice/kubepods-pod0a1b2c3d_4e5f_6071_8293_a4b5c6d7e8f9.slice/cri-containerd-" + CID + ".scope");
        Files.createDirectories(pod);
        long inode = (Long) Files.getAttribute(pod, "unix:ino");
        CgroupResolver resolver = new CgroupResolver(root, 0);

        assertThat(resolver.resolve(inode)).get().extracting(Workload::containerId).isEqualTo(CID);
        assertThat(resolver.resolve(-1)).isEmpty();
    }
}
