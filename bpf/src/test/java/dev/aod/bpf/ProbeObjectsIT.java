package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe objects as the agent loads them: the core object creates the shared maps, every probe
 * object takes them over. The host has no cifs or nfs module, so the probes' programs stay unloaded
 * here; the guest E2E loads and attaches them.
 */
class ProbeObjectsIT {

    @ParameterizedTest
    @ValueSource(strings = {"smb_wire", "smb_mid", "smb_session", "smb_vfs", "nfs_rpc", "nfs_session", "nfs_vfs"})
    void aProbeObjectSharesTheCoreObjectsMaps(String probe) {
        HostKernel.assumeBpf();
        try (BpfObject core = BpfObject.openResource(ProbeObjectsIT.class, "aod.bpf.o");
                BpfObject object = BpfObject.openResource(ProbeObjectsIT.class, probe + ".bpf.o")) {
            core.load();
            object.shareMapsOf(core);
            object.programs().values().forEach(p -> p.setAutoload(false));
            if (probe.equals("smb_session")) {
                object.setRodata(new byte[] {(byte) 250, 0, 0, 0});
            }
            object.load();

            core.map("thresholds").putLong(EventLayout.thresholdSlot(EventLayout.SOURCE_NFS_VFS, 7), 4242);
            assertThat(object.map("thresholds").getLong(EventLayout.thresholdSlot(EventLayout.SOURCE_NFS_VFS, 7)))
                    .as("the probe object writes and reads the core object's thresholds").isEqualTo(4242);
            assertThat(object.map("events").fd()).isNotEqualTo(core.map("events").fd());
        }
    }

    @Test
    void theVfsProbesHookEachListedFunctionOnEntryAndExit() {
        for (String probe : new String[] {"smb_vfs", "nfs_vfs"}) {
            try (BpfObject object = BpfObject.openResource(ProbeObjectsIT.class, probe + ".bpf.o")) {
                Map<String, Long> programsPerTarget = object.programs().values().stream()
                        .collect(Collectors.groupingBy(BpfProgram::attachTarget, Collectors.counting()));
                assertThat(programsPerTarget.keySet()).containsExactlyInAnyOrderElementsOf(
                        VfsFunctions.of(probe).all().stream().map(VfsFunctions.Function::name).toList());
                assertThat(programsPerTarget.values()).containsOnly(2L);
                assertThat(object.programs().values()).extracting(BpfProgram::attachType)
                        .containsOnly("fentry", "fexit");
            }
        }
    }

    @Test
    void theWireProbesUseTracepoints() {
        try (BpfObject wire = BpfObject.openResource(ProbeObjectsIT.class, "smb_wire.bpf.o");
                BpfObject rpc = BpfObject.openResource(ProbeObjectsIT.class, "nfs_rpc.bpf.o")) {
            assertThat(wire.programs().values()).extracting(BpfProgram::sectionName).containsExactlyInAnyOrder(
                    "tracepoint/cifs/smb3_cmd_enter", "tracepoint/cifs/smb3_cmd_done", "tracepoint/cifs/smb3_cmd_err");
            assertThat(rpc.programs().values()).extracting(BpfProgram::sectionName)
                    .containsExactlyInAnyOrder("tp_btf/rpc_task_begin", "tp_btf/rpc_task_end", "tp_btf/xprt_reserve");
        }
    }
}
