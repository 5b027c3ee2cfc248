package org.visionlake.ingest;

/** Why an input went to the quarantine table instead of the dataset. */
public enum QuarantineReason {
    EMPTY_FILE,
    TRUNCATED,
    UNDECODABLE,
    NOT_AN_IMAGE,
    TOO_MANY_PIXELS,
    TOO_LARGE,
    UNREADABLE;

    /** The code written into the table and the counts: lower case, e.g. {@code too_many_pixels}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
