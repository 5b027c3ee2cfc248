package org.visionlake.runs;

import java.util.Map;
import org.visionlake.lake.Json;
import org.visionlake.lake.Sha256;

/** A short, stable hash of an effective configuration: the same settings give the same key on every machine. */
public final class ConfigKey {
    private ConfigKey() {}

    /** The first {@code hexDigits} hex digits of the SHA-256 of the configuration as key-sorted JSON. */
    public static String of(Map<String, ?> configuration, int hexDigits) {
        return Sha256.hexPrefix(Json.write(configuration), hexDigits);
    }
}
