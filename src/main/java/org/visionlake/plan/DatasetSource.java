package org.visionlake.plan;

/** Brings a plan's dataset into the lake; the command line implements it with {@code visionlake ingest}. */
@FunctionalInterface
public interface DatasetSource {
    /** Ingests {@code dataset} as lake dataset {@code name}; throws with the reason if that fails. */
    void ingest(String name, PlanFile.PlanDataset dataset);
}
