package org.visionlake.runs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.visionlake.lake.Json;

/** A short, stable hash of an effective configuration: the same settings give the same key on every machine. */
public final class ConfigKey {
    private ConfigKey() {}

    /** The first {@code hexDigits} hex digits of the SHA-256 of the configuration as key-sorted JSON. */
    public static String of(Map<String, ?> configuration, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(configuration).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
