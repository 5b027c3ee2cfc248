package org.visionlake.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a run: {@code running} until it is published {@code complete} or recorded {@code failed}. */
public enum RunState {
    RUNNING,
    COMPLETE,
    FAILED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
