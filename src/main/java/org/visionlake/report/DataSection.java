package org.visionlake.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.ImageSchema;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;

/**
 * The data part of a report: for each dataset, counts per class and split, image shape, the quarantine summary
 * with reasons, and a small grid of real sample images per class.
 */
public final class DataSection {
    private static final int SAMPLES_PER_CLASS = 8;

    private final SparkSession spark;
    private final LakeDatasets datasets;

    public DataSection(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.datasets = new LakeDatasets(lake);
    }

    public void render(ReportBuilder report, List<String> names) {
        report.section("data", "Data");
        for (String name : names) {
            DatasetManifest manifest = datasets.manifest(name);
            report.subsection("Dataset " + name);
            report.paragraph(String.format(
                    "%s dataset from %s (%s): %d images of %s (height x width x channels) in splits %s.",
                    manifest.kind(),
                    manifest.source(),
                    manifest.sourceFormat(),
                    manifest.total(),
                    manifest.shape(),
                    manifest.counts().keySet()));
            report.table("dataset-" + name + "-counts", countColumns(manifest), countRows(manifest));
            quarantine(report, name, manifest);
            report.pngFigure("dataset-" + name + "-samples", samples(name), "Samples per class of " + name);
        }
    }

    private static List<String> countColumns(DatasetManifest manifest) {
        List<String> columns = new ArrayList<>(List.of("class"));
        columns.addAll(manifest.counts().keySet());
        columns.add("total");
        return columns;
    }

    private static List<List<Object>> countRows(DatasetManifest manifest) {
        List<List<Object>> rows = new ArrayList<>();
        for (String label : manifest.labels()) {
            List<Object> row = new ArrayList<>(List.of(label));
            long total = 0;
            for (Map<String, Long> perLabel : manifest.counts().values()) {
                long n = perLabel.getOrDefault(label, 0L);
                row.add(n);
                total += n;
            }
            row.add(total);
            rows.add(row);
        }
        return rows;
    }

    private static void quarantine(ReportBuilder report, String name, DatasetManifest manifest) {
        if (manifest.ingest() == null) {
            return;
        }
        DatasetManifest.IngestCounts counts = manifest.ingest();
        report.paragraph(String.format(
                "Ingest read %d inputs, wrote %d images, dropped %d exact duplicates, quarantined %d and skipped %d"
                        + " clutter files.",
                counts.read(),
                counts.written(),
                counts.duplicates(),
                counts.quarantined().values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                counts.skipped().values().stream().mapToLong(Long::longValue).sum()));
        List<List<Object>> rows = new ArrayList<>();
        counts.quarantined().forEach((reason, n) -> rows.add(List.of("quarantined", reason, n)));
        counts.skipped().forEach((reason, n) -> rows.add(List.of("skipped", reason, n)));
        if (!rows.isEmpty()) {
            report.table("dataset-" + name + "-quarantine", List.of("outcome", "reason", "files"), rows);
        }
    }

    /** The first few images of each class by id: a cheap pass over ids and labels, then one filtered pixel read. */
    private byte[] samples(String name) {
        List<String> ids = datasets.read(spark, name)
                .select(ImageSchema.ID, ImageSchema.LABEL)
                .withColumn(
                        "rank",
                        row_number().over(Window.partitionBy(ImageSchema.LABEL).orderBy(ImageSchema.ID)))
                .where(col("rank").leq(SAMPLES_PER_CLASS))
                .select(ImageSchema.ID)
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        List<Row> rows = datasets.read(spark, name)
                .where(col(ImageSchema.ID).isin(ids.toArray()))
                .select(
                        ImageSchema.LABEL,
                        ImageSchema.LABEL_NAME,
                        ImageSchema.ID,
                        ImageSchema.HEIGHT,
                        ImageSchema.WIDTH,
                        ImageSchema.CHANNELS,
                        ImageSchema.PIXELS)
                .orderBy(ImageSchema.LABEL, ImageSchema.ID)
                .collectAsList();
        ImageGrid grid = new ImageGrid(SAMPLES_PER_CLASS, 56);
        for (Row row : rows) {
            grid.addHwc((byte[]) row.get(6), row.getInt(3), row.getInt(4), row.getInt(5), row.getString(1));
        }
        return grid.toPng();
    }
}
