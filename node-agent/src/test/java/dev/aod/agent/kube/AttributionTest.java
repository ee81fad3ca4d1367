package dev.aod.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.aod.agent.attribute.CgroupResolver;
import dev.aod.api.v1alpha1.ProcessRef;
import dev.aod.protocol.Protocol;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Top processes with their pods, from a synthetic cgroup v2 tree and /proc. */
class AttributionTest {
    private static final String POD_UID = "1b2c3d4e-0000-4000-8000-00000000abcd";
    private static final String CONTAINER = "a".repeat(64);
    private static final String OTHER_POD_UID = "99999999-0000-4000-8000-000000000001";
    private static final String OTHER_CONTAINER = "b".repeat(64);

    @TempDir
    Path root;

    @Test
    void processesAreRankedByRequestsAndNamedByPodAndContainer() throws IOException {
        Path cgroups = root.resolve("cgroup");
        Path scope = Files.createDirectories(cgroups.resolve("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + POD_UID.replace('-', '_') + ".slice/cri-containerd-" + CONTAINER + ".scope"));
        long cgroupId = (Long) Files.getAttribute(scope, "unix:ino");
        Path proc = root.resolve("proc");
        Files.createDirectories(proc.resolve("300"));
        Files.writeString(proc.resolve("300/cgroup"), "0::/kubepods/besteffort/pod" + OTHER_POD_UID + "/"
                + OTHER_CONTAINER + "\n");
        Files.createDirectories(proc.resolve("400"));
        Files.writeString(proc.resolve("400/cgroup"), "0::/system.slice/backup.service\n");
        AtomicInteger lists = new AtomicInteger();
        PodDirectory pods = new PodDirectory(null, "worker-1", Long.MAX_VALUE, System::nanoTime) {
            @Override
            protected List<Pod> list() {
                lists.incrementAndGet();
                return List.of(pod("shop", "db-0", POD_UID, "postgres", CONTAINER),
                        pod("batch", "report-7", OTHER_POD_UID, "writer", OTHER_CONTAINER));
            }
        };
        Attribution attribution = new Attribution(new CgroupResolver(cgroups, 0), proc, pods, null);

        List<dev.aod.bpf.Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(Anomalies.event(200, "postgres", cgroupId, 80));
        }
        for (int i = 0; i < 3; i++) {
            events.add(Anomalies.event(300, "writer-with-a-long-name", 0, 80));
        }
        events.add(Anomalies.event(400, "rsync", 0, 80));
        events.add(Anomalies.event(500, "gone", 0, 80));

        Attribution.Attributed attributed = attribution.attribute(Protocol.SMB, "files", "data", events);
        assertThat(attributed.top()).extracting(ProcessRef::namespace, ProcessRef::pod, ProcessRef::container,
                ProcessRef::command, ProcessRef::pid, ProcessRef::count).containsExactly(
                tuple("shop", "db-0", "postgres", "postgres", 200L, 5L),
                tuple("batch", "report-7", "writer", "writer-with-a-lo", 300L, 3L),
                tuple(null, null, null, "rsync", 400L, 1L),
                tuple(null, null, null, "gone", 500L, 1L));
        assertThat(attributed.podUids()).containsExactly(POD_UID, OTHER_POD_UID);
        assertThat(lists).as("the pods are listed once").hasValue(1);
    }

    @Test
    void atMostFiveProcessesAreNamed() {
        List<dev.aod.bpf.Event> events = new ArrayList<>();
        for (int pid = 1; pid <= 8; pid++) {
            for (int i = 0; i < pid; i++) {
                events.add(Anomalies.event(pid, "p" + pid, 0, 80));
            }
        }
        assertThat(new Attribution(null, null, null, null).attribute(Protocol.SMB, "files", "data", events).top()).extracting(ProcessRef::pid)
                .containsExactly(8L, 7L, 6L, 5L, 4L);
    }

    private static Pod pod(String ns, String name, String uid, String container, String containerId) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(uid).endMetadata()
                .withNewStatus().addNewContainerStatus().withName(container)
                .withContainerID("containerd://" + containerId).endContainerStatus().endStatus().build();
    }
}
