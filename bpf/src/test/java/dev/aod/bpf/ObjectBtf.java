package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The BTF of a compiled BPF object, read with bpftool: struct layouts as clang laid them out. */
final class ObjectBtf {
    private final Map<Integer, JsonNode> types = new HashMap<>();
    private final Map<String, JsonNode> structs = new HashMap<>();

    private ObjectBtf() {}

    static ObjectBtf of(String object) throws IOException, InterruptedException, URISyntaxException {
        Path file = Path.of(EventLayout.class.getResource(object).toURI());
        Process bpftool = new ProcessBuilder("bpftool", "-j", "btf", "dump", "file", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        JsonNode btf = new ObjectMapper().readTree(bpftool.getInputStream());
        assertThat(bpftool.waitFor()).as("bpftool exit code").isZero();
        ObjectBtf result = new ObjectBtf();
        for (JsonNode type : btf.get("types")) {
            result.types.put(type.get("id").asInt(), type);
            if (type.get("kind").asText().equals("STRUCT")) {
                result.structs.put(type.get("name").asText(), type);
            }
        }
        return result;
    }

    /** Offset of every member of {@code struct name}, in declaration order. */
    Map<String, Integer> offsets(String name) {
        JsonNode struct = structs.get(name);
        assertThat(struct).as("struct %s in the BTF", name).isNotNull();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (JsonNode member : struct.get("members")) {
            offsets.put(member.get("name").asText(), member.get("bits_offset").asInt() / 8);
        }
        return offsets;
    }

    int size(String name) {
        JsonNode struct = structs.get(name);
        assertThat(struct).as("struct %s in the BTF", name).isNotNull();
        return struct.get("size").asInt();
    }
}
