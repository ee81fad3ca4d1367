package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares {@link EventLayout} with struct aod_event as clang laid it out, read from the object's BTF. */
class EventLayoutTest {
    private static Map<Integer, JsonNode> types;
    private static JsonNode event;

    @BeforeAll
    static void readBtf() throws IOException, InterruptedException, URISyntaxException {
        Path object = Path.of(EventLayout.class.getResource("aod.bpf.o").toURI());
        Process bpftool = new ProcessBuilder("bpftool", "-j", "btf", "dump", "file", object.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        JsonNode btf = new ObjectMapper().readTree(bpftool.getInputStream());
        assertThat(bpftool.waitFor()).as("bpftool exit code").isZero();
        types = new HashMap<>();
        for (JsonNode type : btf.get("types")) {
            types.put(type.get("id").asInt(), type);
            if (type.get("kind").asText().equals("STRUCT") && type.get("name").asText().equals("aod_event")) {
                event = type;
            }
        }
        assertThat(event).as("struct aod_event in the BTF of aod.bpf.o").isNotNull();
    }

    @Test
    void everyFieldHasTheOffsetAndSizeOfTheCHeader() {
        List<EventLayout.Field> fromBtf = new ArrayList<>();
        for (JsonNode member : event.get("members")) {
            int bits = member.get("bits_offset").asInt();
            assertThat(bits % 8).as("%s is not a bit field", member.get("name")).isZero();
            fromBtf.add(new EventLayout.Field(
                    member.get("name").asText(), bits / 8, sizeOf(member.get("type_id").asInt())));
        }
        assertThat(EventLayout.FIELDS).containsExactlyElementsOf(fromBtf);
    }

    @Test
    void recordSizeMatches() {
        assertThat(EventLayout.SIZE).isEqualTo(event.get("size").asInt());
    }

    private static int sizeOf(int typeId) {
        JsonNode type = types.get(typeId);
        return switch (type.get("kind").asText()) {
            case "TYPEDEF", "VOLATILE", "CONST", "RESTRICT" -> sizeOf(type.get("type_id").asInt());
            case "ARRAY" -> type.get("nr_elems").asInt() * sizeOf(type.get("type_id").asInt());
            default -> type.get("size").asInt();
        };
    }
}
