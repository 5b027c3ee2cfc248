package org.visionlake.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;

/**
 * Publishes the images of some classes of a dataset as a dataset of its own, labels renumbered in the order given,
 * every split kept. The transfer demo carves a small target task out of a bigger source this way.
 */
public final class ClassSubset {
    private final SparkSession spark;
    private final Lake lake;

    public ClassSubset(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    public DatasetManifest publish(String source, String name, List<String> classes) {
        LakeDatasets datasets = new LakeDatasets(lake);
        DatasetManifest manifest = datasets.manifest(source);
        for (String label : classes) {
            if (!manifest.labels().contains(label)) {
                throw new VisionLakeException(String.format(
                        "dataset '%s' has no class '%s'; its classes are %s", source, label, manifest.labels()));
            }
        }

        List<Column> mapping = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            mapping.add(lit(classes.get(i)));
            mapping.add(lit(i));
        }
        Column newLabel = element_at(
                org.apache.spark.sql.functions.map(mapping.toArray(new Column[0])), col(ImageSchema.LABEL_NAME));
        Dataset<Row> rows = datasets.read(spark, source)
                .where(col(ImageSchema.LABEL_NAME).isin(classes.toArray()))
                .withColumn(ImageSchema.LABEL, newLabel)
                .select(java.util.Arrays.stream(ImageSchema.schema().fieldNames())
                        .map(org.apache.spark.sql.functions::col)
                        .toArray(Column[]::new));

        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("source", source);
        lineage.put("source_fingerprint", manifest.fingerprint());
        lineage.put("classes", classes);
        return new DatasetPublisher(spark, lake)
                .publish(
                        rows,
                        new DatasetPublisher.Draft(
                                name,
                                "subset",
                                manifest.source(),
                                manifest.sourceFormat(),
                                manifest.shape(),
                                manifest.preprocessing(),
                                classes,
                                null,
                                lineage));
    }
}
