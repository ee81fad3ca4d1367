package dev.aod.helm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields of a rendered manifest that Fabric8's typed model does not know: they land in an
 * object's additionalProperties (a misspelled or misplaced key, which the API server would drop
 * or reject), found by walking the object graph.
 */
final class UnknownFields {
    private UnknownFields() {}

    static List<String> of(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is")) || m.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = m.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String name = Character.toLowerCase(m.getName().charAt(m.getName().startsWith("is") ? 2 : 3))
                    + m.getName().substring(m.getName().startsWith("is") ? 3 : 4);
            if (m.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add((path.isEmpty() ? "" : path + ".") + k));
                }
            } else {
                walk(child, (path.isEmpty() ? "" : path + ".") + name, found);
            }
        }
    }
}
