package org.visionlake.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.visionlake.VisionLakeException;

/** Typed reads of plan values (YAML gives numbers, but a quoted "32" is accepted too). */
record PlanValues(Map<String, Object> parameters) {
    int integer(String name, int fallback) {
        Object value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return value instanceof Number n && n.doubleValue() == n.intValue()
                    ? n.intValue()
                    : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(name, value, "a whole number");
        }
    }

    double decimal(String name, double fallback) {
        Object value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return value instanceof Number n
                    ? n.doubleValue()
                    : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(name, value, "a number");
        }
    }

    String text(String name, String fallback) {
        Object value = parameters.get(name);
        return value == null ? fallback : value.toString();
    }

    private static VisionLakeException bad(String name, Object value, String expected) {
        return new VisionLakeException(
                String.format("plan parameter '%s' is '%s'; expected %s", name, value, expected));
    }

    /** Refuses parameters a cell type does not know, naming the ones it takes. */
    void requireKnown(String type, List<String> known) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        known.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new VisionLakeException(String.format(
                    "unknown %s parameter(s) %s in the plan; %s cells take %s", type, unknown, type, known));
        }
    }

    /** A list of whole numbers given as a YAML list, one number, or "100,300". */
    List<Integer> integers(String name, List<Integer> fallback) {
        Object value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        List<Object> items = value instanceof List<?> list
                ? List.copyOf(list)
                : List.of((Object[]) value.toString().split(","));
        return items.stream()
                .map(item -> new PlanValues(Map.of(name, item)).integer(name, 0))
                .toList();
    }
}
