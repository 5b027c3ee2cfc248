package org.visionlake.ingest;

/**
 * Thrown by the decoder for an input that cannot become an image row. Carries no stack trace: it is an expected
 * outcome for bad files, and a job over millions of them must not pay for stack walks.
 */
final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final QuarantineReason reason;

    Rejected(QuarantineReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    QuarantineReason reason() {
        return reason;
    }
}
