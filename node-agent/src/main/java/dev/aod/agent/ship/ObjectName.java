package dev.aod.agent.ship;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a bundle goes in a store: {@code <prefix>/<node>/<yyyy-MM-dd>/<bundle>.tar.zst} and beside it
 * {@code <bundle>.manifest.json}. The date is the bundle's creation day (UTC) from its manifest, so a
 * retry, even days later, writes the same names.
 */
public record ObjectName(String directory, String bundleFile, String manifestFile) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    public static ObjectName of(String prefix, String node, LocalBundle bundle) {
        StringBuilder dir = new StringBuilder();
        for (String part : new String[] {trimSlashes(prefix), node, DAY.format(bundle.createdAt())}) {
            if (!part.isEmpty()) {
                dir.append(dir.length() == 0 ? "" : "/").append(part);
            }
        }
        return new ObjectName(dir.toString(), bundle.fileName(), bundle.name() + ".manifest.json");
    }

    public String bundleKey() {
        return directory + "/" + bundleFile;
    }

    public String manifestKey() {
        return directory + "/" + manifestFile;
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }
}
