package org.visionlake.ingest;

import java.io.Serializable;

/** One row of a dataset's quarantine table: an input that did not become an image, and why. */
public record QuarantineRecord(String sourcePath, String reason, long sizeBytes, String detail)
        implements Serializable {}
