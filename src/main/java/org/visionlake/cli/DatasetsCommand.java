package org.visionlake.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code visionlake datasets list|show NAME}: what the lake holds, read from the manifests alone (no Spark). */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = "List the datasets of the lake, or show one: counts per split and class, shape, quarantine.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.ShowDataset.class})
public final class DatasetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per complete dataset.")
    static final class ListDatasets implements Runnable {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Lake lake = common.lakeWithoutSpark();
            LakeDatasets datasets = new LakeDatasets(lake);
            List<DatasetManifest> manifests = new ArrayList<>();
            for (String name : datasets.names()) {
                manifests.add(datasets.manifest(name));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                out.println(Json.write(manifests));
                return;
            }
            if (manifests.isEmpty()) {
                out.println("no datasets in lake " + lake + "; create one with 'visionlake ingest'");
                return;
            }
            out.printf("%-28s %-10s %-10s %9s %11s  %s%n", "NAME", "KIND", "SHAPE", "IMAGES", "QUARANTINED", "SPLITS");
            for (DatasetManifest m : manifests) {
                out.printf(
                        "%-28s %-10s %-10s %9d %11s  %s%n",
                        m.name(),
                        m.kind(),
                        m.shape(),
                        m.total(),
                        m.ingest() == null ? "-" : Long.toString(quarantinedTotal(m)),
                        splitTotals(m));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Counts per split and class of one dataset.")
    static final class ShowDataset implements Runnable {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "NAME", description = "Dataset name.")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Lake lake = common.lakeWithoutSpark();
            DatasetManifest m = new LakeDatasets(lake).manifest(name);
            Quarantine quarantine = quarantine(lake, m);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                Map<String, Object> json =
                        new LinkedHashMap<>(Json.mapper().convertValue(m, new TypeReference<Map<String, Object>>() {}));
                json.put("splitTotals", splitTotals(m));
                json.put("quarantine", quarantine);
                out.println(Json.write(json));
                return;
            }
            out.printf("dataset      %s (%s, format version %d)%n", m.name(), m.kind(), m.formatVersion());
            out.printf("source       %s (%s)%n", m.source(), m.sourceFormat());
            out.printf("image shape  %s (height x width x channels)%n", m.shape());
            out.printf("fingerprint  %s%n", m.fingerprint());
            out.printf("created      %s%n", m.createdAt());
            out.printf("images       %d in splits %s%n%n", m.total(), splitTotals(m));
            printClassTable(out, m);
            out.println();
            printQuarantine(out, m, quarantine);
            if (m.lineage() != null) {
                out.printf("%nlineage%n");
                m.lineage().forEach((key, value) -> out.printf("  %-18s %s%n", key, value));
            }
        }
    }

    /**
     * What the ingest set aside: counts per reason from the manifest and where the quarantine table lies, so the
     * command stays manifest-only and needs no Spark.
     *
     * @param images unusable inputs with a quarantine row; null for augmented datasets (nothing quarantined here)
     * @param table the quarantine table's path, null when the lake has none for this dataset
     */
    record Quarantine(
            Long images, Map<String, Long> reasons, Long duplicates, Map<String, Long> skipped, String table) {}

    private static Quarantine quarantine(Lake lake, DatasetManifest m) {
        Path table = lake.quarantinePath(m.name());
        String tablePath = lake.exists(table) ? table.toString() : null;
        DatasetManifest.IngestCounts c = m.ingest();
        if (c == null) {
            return new Quarantine(null, Map.of(), null, Map.of(), tablePath);
        }
        return new Quarantine(quarantinedTotal(m), c.quarantined(), c.duplicates(), c.skipped(), tablePath);
    }

    private static void printQuarantine(PrintWriter out, DatasetManifest m, Quarantine q) {
        if (m.ingest() == null) {
            Object from = m.lineage() == null ? "its source" : m.lineage().get("sourceDataset");
            out.printf("quarantine   none: %s datasets only hold rows of %s, already checked%n", m.kind(), from);
            return;
        }
        DatasetManifest.IngestCounts c = m.ingest();
        out.printf("ingest       read=%d written=%d duplicates=%d%n", c.read(), c.written(), c.duplicates());
        if (q.images() == 0) {
            out.println("quarantine   none");
        } else {
            out.printf("quarantine   %d input(s):%n", q.images());
            q.reasons().forEach((reason, count) -> out.printf("  %-24s %9d%n", reason, count));
        }
        if (q.table() != null) {
            out.printf("  rows with path and reason in %s%n", q.table());
        }
        out.printf("skipped      %s%n", c.skipped().isEmpty() ? "none" : c.skipped());
    }

    private static long quarantinedTotal(DatasetManifest m) {
        return m.ingest().quarantined().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static void printClassTable(PrintWriter out, DatasetManifest m) {
        List<String> splits = new ArrayList<>(m.counts().keySet());
        out.printf("%-24s", "CLASS");
        splits.forEach(split -> out.printf(" %9s", split));
        out.printf(" %9s%n", "total");
        for (String label : m.labels()) {
            out.printf("%-24s", label);
            long total = 0;
            for (String split : splits) {
                long count = m.counts().get(split).getOrDefault(label, 0L);
                total += count;
                out.printf(" %9d", count);
            }
            out.printf(" %9d%n", total);
        }
        out.printf("%-24s", "total");
        splits.forEach(split -> out.printf(" %9d", m.total(split)));
        out.printf(" %9d%n", m.total());
    }

    private static Map<String, Long> splitTotals(DatasetManifest m) {
        Map<String, Long> totals = new LinkedHashMap<>();
        m.counts().keySet().forEach(split -> totals.put(split, m.total(split)));
        return totals;
    }
}
