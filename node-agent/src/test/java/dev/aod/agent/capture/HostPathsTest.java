package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the host's mount tables and files are, on the host and from a container with the host mounted under /host. */
class HostPathsTest {
    private final HostPaths container = new HostPaths(Path.of("/host/proc"), Path.of("/host/sys"), Path.of("/host/etc"),
            Path.of("/host/var/log"));

    @Test
    void onTheHostTheAgentsOwnMountNamespaceIsTheHosts() {
        assertThat(HostPaths.REAL.mountTable("mountinfo")).isEqualTo(Path.of("/proc/self/mountinfo"));
        assertThat(HostPaths.REAL.hostPath("/mnt/smb")).isEqualTo(Path.of("/mnt/smb"));
    }

    @Test
    void fromAContainerTheHostsMountsAreThoseOfItsPid1() {
        assertThat(container.mountTable("mountstats")).isEqualTo(Path.of("/host/proc/1/mountstats"));
        assertThat(container.hostPath("/var/lib/kubelet/pods/x/volumes/kubernetes.io~csi/pv/mount"))
                .isEqualTo(Path.of("/host/proc/1/root/var/lib/kubelet/pods/x/volumes/kubernetes.io~csi/pv/mount"));
    }
}
