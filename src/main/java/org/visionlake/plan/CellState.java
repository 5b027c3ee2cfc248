package org.visionlake.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a plan cell stands, from its run record in the lake and the plan's lock. */
public enum CellState {
    /** The cell's run is complete; plan runs skip it. */
    DONE,
    /** Its run is in progress under a live plan run. */
    RUNNING,
    /** Its run says running but no live plan run holds the lock: the process died; the next run resumes it. */
    INTERRUPTED,
    /** Its run failed; the next plan run retries it (from its last checkpoint). */
    FAILED,
    /** Not started yet. */
    PENDING,
    /** This build has no runner for the cell's experiment type. */
    UNSUPPORTED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
