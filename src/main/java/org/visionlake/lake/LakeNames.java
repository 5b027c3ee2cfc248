package org.visionlake.lake;

import java.util.regex.Pattern;
import org.visionlake.VisionLakeException;

/** Checks the names users give to datasets, runs and models before any of them becomes a path in the lake. */
public final class LakeNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private LakeNames() {}

    /**
     * Returns {@code name} if it is one path segment of letters, digits, '.', '_' and '-' that starts with a letter or
     * digit; refuses anything else, so that a name such as {@code ../x} can never point outside the lake.
     */
    public static String requireValid(String kind, String name) {
        if (name == null || !VALID.matcher(name).matches() || name.contains("..")) {
            throw new VisionLakeException(String.format(
                    "invalid %s name '%s': expected 1-128 characters of letters, digits, '.', '_' or '-', starting"
                            + " with a letter or digit and without '..'; choose another name, e.g. 'cifar10-small'",
                    kind, name));
        }
        return name;
    }
}
