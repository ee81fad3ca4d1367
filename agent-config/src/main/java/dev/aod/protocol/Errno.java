package dev.aod.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Linux errno names (asm-generic numbering, as on x86_64 and arm64), including kernel-internal ones cifs returns. */
public final class Errno {
    private static final Map<String, Integer> BY_NAME;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        String[] table = {
            "EPERM:1", "ENOENT:2", "ESRCH:3", "EINTR:4", "EIO:5", "ENXIO:6", "E2BIG:7", "ENOEXEC:8", "EBADF:9",
            "ECHILD:10", "EAGAIN:11", "ENOMEM:12", "EACCES:13", "EFAULT:14", "ENOTBLK:15", "EBUSY:16", "EEXIST:17",
            "EXDEV:18", "ENODEV:19", "ENOTDIR:20", "EISDIR:21", "EINVAL:22", "ENFILE:23", "EMFILE:24", "ENOTTY:25",
            "ETXTBSY:26", "EFBIG:27", "ENOSPC:28", "ESPIPE:29", "EROFS:30", "EMLINK:31", "EPIPE:32", "EDOM:33",
            "ERANGE:34", "EDEADLK:35", "ENAMETOOLONG:36", "ENOLCK:37", "ENOSYS:38", "ENOTEMPTY:39", "ELOOP:40",
            "ENOMSG:42", "EIDRM:43", "ENODATA:61", "ETIME:62", "ENOLINK:67", "EPROTO:71", "EBADMSG:74",
            "EOVERFLOW:75", "EILSEQ:84", "EUSERS:87", "ENOTSOCK:88", "EMSGSIZE:90", "EPROTONOSUPPORT:93",
            "EOPNOTSUPP:95", "EAFNOSUPPORT:97", "EADDRINUSE:98", "EADDRNOTAVAIL:99", "ENETDOWN:100",
            "ENETUNREACH:101", "ENETRESET:102", "ECONNABORTED:103", "ECONNRESET:104", "ENOBUFS:105",
            "EISCONN:106", "ENOTCONN:107", "ESHUTDOWN:108", "ETIMEDOUT:110", "ECONNREFUSED:111",
            "EHOSTDOWN:112", "EHOSTUNREACH:113", "EALREADY:114", "EINPROGRESS:115", "ESTALE:116",
            "EREMOTEIO:121", "EDQUOT:122", "ECANCELED:125", "ENOKEY:126", "EKEYEXPIRED:127", "EKEYREVOKED:128",
            "EKEYREJECTED:129", "ERESTARTSYS:512", "ERESTARTNOINTR:513", "ENOTSUPP:524", "EJUKEBOX:528",
            "EIOCBQUEUED:529",
        };
        for (String entry : table) {
            int colon = entry.indexOf(':');
            m.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private Errno() {}

    public static Optional<Integer> ofName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Map<String, Integer> all() {
        return BY_NAME;
    }

    /** {@code EACCES} for 13 or -13; the number itself where it has no name. */
    public static String nameOf(int errno) {
        int positive = Math.abs(errno);
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == positive) {
                return e.getKey();
            }
        }
        return Integer.toString(positive);
    }
}
