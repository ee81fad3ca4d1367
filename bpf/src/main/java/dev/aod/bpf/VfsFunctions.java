package dev.aod.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel functions a VFS probe hooks, in the order of their ids (the {@code aux} of its
 * events), from the {@code <probe>.functions} list the build derives from
 * {@code <probe>_functions.h}: one line {@code function "AOD_VFS_OP" code} each.
 */
public final class VfsFunctions {
    /** A hooked function and the VFS operation it reports. */
    public record Function(int id, String name, String operation, int operationCode) {}

    private final List<Function> functions;

    private VfsFunctions(List<Function> functions) {
        this.functions = List.copyOf(functions);
    }

    /** {@code smb_vfs} or {@code nfs_vfs}. */
    public static VfsFunctions of(String object) {
        String resource = object + ".functions";
        try (InputStream in = VfsFunctions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("function list " + resource + " is not on the class path; was the bpf module built?");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    static VfsFunctions parse(String text) {
        List<Function> functions = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 3) {
                continue;
            }
            String operation = fields[1].replace("\"", "").replaceFirst("^AOD_VFS_", "").toLowerCase(Locale.ROOT);
            functions.add(new Function(functions.size(), fields[0], operation, Integer.parseInt(fields[2])));
        }
        return new VfsFunctions(functions);
    }

    public List<Function> all() {
        return functions;
    }

    /** The function of an event's {@code aux}, or null. */
    public Function byId(int id) {
        return id >= 0 && id < functions.size() ? functions.get(id) : null;
    }
}
