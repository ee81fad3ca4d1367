package dev.aod.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.VolumeRef;
import dev.aod.protocol.Protocol;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume of a share from a synthetic host mount table as the kubelet leaves it, and PersistentVolumes. */
class VolumeAttributionTest {
    private static final String POD_A = "1b2c3d4e-0000-4000-8000-00000000000a";
    private static final String POD_B = "1b2c3d4e-0000-4000-8000-00000000000b";
    private static final String KUBELET = "/var/lib/kubelet/pods/%s/volumes/%s/%s/mount";

    @TempDir
    Path dir;
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final Map<String, PersistentVolume> pvs = Map.of(
            "pvc-0a1b", pv("pvc-0a1b", "shop", "db-data"),
            "pv-reports", pv("pv-reports", "batch", "reports"));

    @Test
    void aCsiMountOfTheAnomalysPodNamesItsVolumeAndClaim() throws IOException {
        VolumeAttribution v = volumes(
                cifs("//files.example.com/data", KUBELET.formatted(POD_A, "kubernetes.io~csi", "pvc-0a1b")),
                cifs("//files.example.com/data", "/var/lib/kubelet/plugins/kubernetes.io/csi/smb.csi.k8s.io/4f2a/globalmount"),
                cifs("//files.example.com/other", KUBELET.formatted(POD_B, "kubernetes.io~csi", "pv-reports")));

        assertThat(v.resolve(Protocol.SMB, "files.example.com", "DATA", Set.of(POD_A))).contains(new VolumeRef(
                "pvc-0a1b", "shop", "db-data", KUBELET.formatted(POD_A, "kubernetes.io~csi", "pvc-0a1b")));
    }

    @Test
    void ofSeveralVolumesOfOneShareThePodsOwnIsTaken() throws IOException {
        VolumeAttribution v = volumes(
                nfs("nfs.example.com:/exports/reports", KUBELET.formatted(POD_A, "kubernetes.io~nfs", "pv-reports")),
                nfs("nfs.example.com:/exports/reports", KUBELET.formatted(POD_B, "kubernetes.io~nfs", "scratch")));

        assertThat(v.resolve(Protocol.NFS, "nfs.example.com", "/exports/reports", Set.of(POD_A)).map(VolumeRef::claimName))
                .contains("reports");
        assertThat(v.resolve(Protocol.NFS, "nfs.example.com", "/exports/reports", Set.of(POD_B)))
                .as("an inline volume: its mount, no PersistentVolume")
                .contains(new VolumeRef(null, null, null, KUBELET.formatted(POD_B, "kubernetes.io~nfs", "scratch")));
        assertThat(v.resolve(Protocol.NFS, "nfs.example.com", "/exports/reports", Set.of()))
                .as("two volumes and no pod to tell them apart").isEmpty();
    }

    @Test
    void aShareMountedOnceOutsideTheKubeletGivesItsMountPointOnly() throws IOException {
        VolumeAttribution v = volumes(cifs("//127.0.0.1/share", "/mnt/smb"));

        assertThat(v.resolve(Protocol.SMB, "127.0.0.1", "share", Set.of()))
                .contains(new VolumeRef(null, null, null, "/mnt/smb"));
        assertThat(v.resolve(Protocol.SMB, "127.0.0.1", "", Set.of())).as("no share told").isEmpty();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void persistentVolumesAreLookedUpOncePerCachePeriod() throws IOException {
        VolumeAttribution v = volumes(cifs("//files/data", KUBELET.formatted(POD_A, "kubernetes.io~csi", "pvc-0a1b")));
        for (int i = 0; i < 3; i++) {
            v.resolve(Protocol.SMB, "files", "data", Set.of(POD_A));
        }
        assertThat(lookups).hasValue(1);
        now.addAndGet(60_000_000_000L);
        v.resolve(Protocol.SMB, "files", "data", Set.of(POD_A));
        assertThat(lookups).hasValue(2);
    }

    private VolumeAttribution volumes(String... mountinfoLines) throws IOException {
        Path mountinfo = dir.resolve("mountinfo");
        Files.write(mountinfo, List.of(mountinfoLines));
        return new VolumeAttribution(mountinfo, name -> {
            lookups.incrementAndGet();
            return Optional.ofNullable(pvs.get(name));
        }, 60_000_000_000L, now::get);
    }

    private static int id = 100;

    private static String cifs(String source, String mountPoint) {
        return (id++) + " 25 0:" + id + " / " + mountPoint + " rw,relatime shared:1 - cifs " + source
                + " rw,vers=3.1.1,cache=strict,username=aod";
    }

    private static String nfs(String source, String mountPoint) {
        return (id++) + " 25 0:" + id + " / " + mountPoint + " rw,relatime shared:1 - nfs4 " + source
                + " rw,vers=4.2,addr=10.0.0.5";
    }

    private static PersistentVolume pv(String name, String claimNamespace, String claimName) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNewClaimRef().withNamespace(claimNamespace).withName(claimName).endClaimRef().endSpec().build();
    }
}
