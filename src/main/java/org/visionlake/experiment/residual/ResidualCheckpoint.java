package org.visionlake.experiment.residual;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.visionlake.runs.ConfigKey;
import org.visionlake.runs.RunCheckpoints;
import org.visionlake.runs.TableRows;

/**
 * What a residual run saves after every epoch of either network, and reads back when it is resumed: the epochs
 * each network has done, the metrics and gradient rows so far, and the networks with their updater state. The data
 * order of an epoch follows from the seed and the epoch number alone, so nothing else is needed to continue exactly
 * where the run stopped.
 */
final class ResidualCheckpoint {
    private final RunCheckpoints store;
    private final String configKey;
    private final Map<String, Integer> epochsDone = new LinkedHashMap<>();
    private Optional<RunCheckpoints.Checkpoint> latest;
    private Map<String, Double> secondsBefore = Map.of();

    /** @param resume false for a fresh run: checkpoints left by an earlier run of the same id are dropped */
    ResidualCheckpoint(RunCheckpoints store, ResidualConfig config, boolean resume) {
        this.store = store;
        this.configKey = ConfigKey.of(config.asMap(), 16);
        if (!resume) {
            store.delete();
        }
        this.latest = resume ? store.latest(configKey) : Optional.empty();
    }

    /** Adds the rows saved by the last checkpoint, if any, to the run's (empty) row lists. */
    void restore(List<Row> metrics, List<Row> gradients) {
        if (latest.isEmpty()) {
            return;
        }
        Map<String, Object> state = latest.get().state();
        ((Map<?, ?>) state.get("epochs_done"))
                .forEach((network, epochs) -> epochsDone.put((String) network, ((Number) epochs).intValue()));
        metrics.addAll(TableRows.fromJson(ResidualExperiment.METRICS, (List<?>) state.get("metrics")));
        gradients.addAll(TableRows.fromJson(ResidualExperiment.GRADIENTS, (List<?>) state.get("gradients")));

        Map<String, Double> seconds = new LinkedHashMap<>();
        metrics.forEach(row -> seconds.merge(row.getString(0), row.getDouble(7), Double::sum));
        secondsBefore = seconds;
    }

    int epochsDone(String network) {
        return epochsDone.getOrDefault(network, 0);
    }

    /** Training seconds of {@code network}'s epochs done before the resume (0 for a fresh run). */
    double secondsBefore(String network) {
        return secondsBefore.getOrDefault(network, 0.0);
    }

    ComputationGraph model(String network) {
        return store.model(latest.orElseThrow(), network);
    }

    void epochDone(String network, int epochs, ComputationGraph net, List<Row> metrics, List<Row> gradients) {
        epochsDone.put(network, epochs);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epochs_done", new LinkedHashMap<>(epochsDone));
        state.put("metrics", TableRows.toJson(metrics));
        state.put("gradients", TableRows.toJson(gradients));
        latest = Optional.of(store.save(latest, configKey, state, Map.of(network, net)));
    }

    void delete() {
        store.delete();
    }
}
