package org.visionlake.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            out.printf("%-28s %-10s %-10s %9s  %s%n", "NAME", "KIND", "SHAPE", "IMAGES", "SPLITS");
            for (DatasetManifest m : manifests) {
                out.printf("%-28s %-10s %-10s %9d  %s%n", m.name(), m.kind(), m.shape(), m.total(), splitTotals(m));
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
            DatasetManifest m = new LakeDatasets(common.lakeWithoutSpark()).manifest(name);
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                out.println(Json.write(m));
                return;
            }
            out.printf("dataset      %s (%s, format version %d)%n", m.name(), m.kind(), m.formatVersion());
            out.printf("source       %s (%s)%n", m.source(), m.sourceFormat());
            out.printf("image shape  %s (height x width x channels)%n", m.shape());
            out.printf("fingerprint  %s%n", m.fingerprint());
            out.printf("created      %s%n", m.createdAt());
            out.printf("splits       %s%n%n", splitTotals(m));
            printClassTable(out, m);
            if (m.ingest() != null) {
                DatasetManifest.IngestCounts c = m.ingest();
                out.printf("%ningest       read=%d written=%d duplicates=%d%n", c.read(), c.written(), c.duplicates());
                out.printf("quarantined  %s%n", c.quarantined().isEmpty() ? "none" : c.quarantined());
                out.printf("skipped      %s%n", c.skipped().isEmpty() ? "none" : c.skipped());
            }
            if (m.lineage() != null) {
                out.printf("%nlineage      %s%n", m.lineage());
            }
        }
    }

    private static void printClassTable(PrintWriter out, DatasetManifest m) {
        List<String> splits = new ArrayList<>(m.counts().keySet());
        out.printf("%-24s", "CLASS");
        splits.forEach(split -> out.printf(" %9s", split));
        out.println();
        for (String label : m.labels()) {
            out.printf("%-24s", label);
            for (String split : splits) {
                out.printf(" %9d", m.counts().get(split).getOrDefault(label, 0L));
            }
            out.println();
        }
    }

    private static Map<String, Long> splitTotals(DatasetManifest m) {
        Map<String, Long> totals = new LinkedHashMap<>();
        m.counts().keySet().forEach(split -> totals.put(split, m.total(split)));
        return totals;
    }
}
