package org.visionlake;

/**
 * A failure the user can act on: bad input, a missing dataset, a refused name. The message says what failed, on
 * which input, what was expected, what was found and what to do; the CLI prints it without a stack trace.
 */
public class VisionLakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VisionLakeException(String message) {
        super(message);
    }

    public VisionLakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
