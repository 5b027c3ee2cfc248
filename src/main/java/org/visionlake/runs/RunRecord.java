package org.visionlake.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code _run.json}: what a run of an experiment was asked to do and what became of it. Reports read only runs in
 * state {@code complete}; a {@code failed} run keeps its record (and error) so that the failure stays visible.
 *
 * @param formatVersion layout version of the run folder ({@link RunWriter#FORMAT_VERSION})
 * @param configuration the effective settings, defaults filled in
 * @param timings seconds per phase
 * @param metrics the final numbers a report compares runs by
 * @param files paths of the run's files relative to the run folder (complete runs only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        int formatVersion,
        String runId,
        String experiment,
        RunState state,
        String error,
        String startedAt,
        String finishedAt,
        Map<String, Object> configuration,
        Map<String, Double> timings,
        Map<String, Object> metrics,
        List<String> files) {}
