package org.visionlake.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.LakeNames;

/**
 * An experiment plan as written in YAML: the datasets it needs (ingested if the lake lacks them) and the
 * experiments with their parameter grids. Every combination of grid values is one cell, run as one lake run.
 *
 * @param name names the plan's lock and prefixes its run ids
 * @param datasets lake dataset name to where it comes from
 * @param experiments in the order their cells run
 */
public record PlanFile(
        String name, String description, Map<String, PlanDataset> datasets, List<PlanExperiment> experiments) {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    /**
     * A dataset of the plan.
     *
     * @param source folder or file to ingest; {@code ${VAR}} and {@code ${VAR:-default}} take environment variables
     * @param options further {@code visionlake ingest} options without the dashes, e.g. {@code image-size: 32}
     */
    public record PlanDataset(String source, String format, Map<String, Object> options) {}

    /**
     * One experiment of the plan.
     *
     * @param type experiment type, e.g. {@code residual}
     * @param parameters settings shared by all cells, named as the experiment command's options without dashes
     * @param grid settings with several values; each combination is a cell
     */
    public record PlanExperiment(
            String type, String dataset, Map<String, Object> parameters, Map<String, List<Object>> grid) {}

    public PlanFile {
        datasets = datasets == null ? Map.of() : datasets;
        experiments = experiments == null ? List.of() : experiments;
    }

    /** Reads and checks the plan at {@code file}; errors name the file and what is wrong. */
    public static PlanFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VisionLakeException("plan file " + file + " not found; pass the path of a plan YAML file");
        }
        PlanFile plan;
        try {
            plan = YAML.readValue(file.toFile(), PlanFile.class);
        } catch (IOException e) {
            throw new VisionLakeException("cannot read plan " + file + ": " + e.getMessage(), e);
        }
        plan.check(file);
        return plan;
    }

    private void check(Path file) {
        require(name != null, file, "it has no 'name'");
        LakeNames.requireValid("plan", name);
        require(name.length() <= 80, file, "its name is longer than 80 characters");
        require(!experiments.isEmpty(), file, "it has no 'experiments'");
        for (int i = 0; i < experiments.size(); i++) {
            PlanExperiment experiment = experiments.get(i);
            String where = "experiment " + (i + 1);
            require(experiment.type() != null, file, where + " has no 'type'");
            require(experiment.dataset() != null, file, where + " has no 'dataset'");
            LakeNames.requireValid("dataset", experiment.dataset());
            Map<String, List<Object>> grid = experiment.grid() == null ? Map.of() : experiment.grid();
            for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
                require(
                        axis.getValue() != null && !axis.getValue().isEmpty(),
                        file,
                        where + " has an empty grid '" + axis.getKey() + "'");
                require(
                        experiment.parameters() == null
                                || !experiment.parameters().containsKey(axis.getKey()),
                        file,
                        where + " sets '" + axis.getKey() + "' both in 'parameters' and in 'grid'; keep one");
            }
        }
        for (Map.Entry<String, PlanDataset> dataset : datasets.entrySet()) {
            LakeNames.requireValid("dataset", dataset.getKey());
            require(
                    dataset.getValue() != null && dataset.getValue().source() != null,
                    file,
                    "dataset '" + dataset.getKey() + "' has no 'source'");
        }
    }

    /** {@code source} with environment variables filled in; a clear error for one that is not set. */
    public static String expand(String source, Map<String, String> environment) {
        Matcher matcher = VARIABLE.matcher(source);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = environment.get(matcher.group(1));
            if (value == null || value.isEmpty()) {
                value = matcher.group(3);
            }
            if (value == null) {
                throw new VisionLakeException(String.format(
                        "dataset source '%s' uses ${%s}, which is not set; export %s or give a default as ${%s:-path}",
                        source, matcher.group(1), matcher.group(1), matcher.group(1)));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The experiment's grid, empty when it has none, in the order written. */
    static Map<String, List<Object>> grid(PlanExperiment experiment) {
        return experiment.grid() == null ? Map.of() : new LinkedHashMap<>(experiment.grid());
    }

    private static void require(boolean condition, Path file, String problem) {
        if (!condition) {
            throw new VisionLakeException("invalid plan " + file + ": " + problem);
        }
    }
}
