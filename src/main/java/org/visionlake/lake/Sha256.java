package org.visionlake.lake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as the lake uses it: content hashes of images, fingerprints of models, keys of configurations. */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** A fresh digest; every JDK has SHA-256. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The lowercase hex digest of {@code bytes} (64 digits). */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /** The first {@code digits} hex digits of the digest of {@code text} as UTF-8. */
    public static String hexPrefix(String text, int digits) {
        return hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, digits);
    }

    /** The lowercase hex form of a finished digest. */
    public static String hex(MessageDigest finished) {
        return HEX.formatHex(finished.digest());
    }
}
