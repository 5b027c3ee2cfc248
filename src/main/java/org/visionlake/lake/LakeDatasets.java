package org.visionlake.lake;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.visionlake.VisionLakeException;

/** Finds complete datasets in a lake and opens them as Spark DataFrames. */
public final class LakeDatasets {
    private final Lake lake;

    public LakeDatasets(Lake lake) {
        this.lake = lake;
    }

    public List<String> names() {
        return lake.listComplete("datasets", Lake.MANIFEST);
    }

    /** The manifest of a complete dataset; a clear error naming the datasets that exist otherwise. */
    public DatasetManifest manifest(String name) {
        Path manifest = new Path(lake.datasetPath(name), Lake.MANIFEST);
        if (!lake.exists(manifest)) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' not found in lake %s (no complete dataset folder with %s); datasets there: %s."
                            + " Ingest it first with 'visionlake ingest --name %s ...'",
                    name, lake, Lake.MANIFEST, names().isEmpty() ? "none" : String.join(", ", names()), name));
        }
        DatasetManifest parsed = Json.read(lake.readText(manifest), DatasetManifest.class);
        if (parsed.formatVersion() > ImageSchema.VERSION) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has format version %d but this VisionLake reads up to %d; upgrade VisionLake",
                    name, parsed.formatVersion(), ImageSchema.VERSION));
        }
        return parsed;
    }

    public Dataset<Row> read(SparkSession spark, String name) {
        manifest(name);
        return spark.read()
                .schema(ImageSchema.schema())
                .parquet(lake.datasetPath(name).toString());
    }

    /** One split of a dataset; an error naming the splits that exist when this one is empty or missing. */
    public Dataset<Row> readSplit(SparkSession spark, String name, String split) {
        DatasetManifest manifest = manifest(name);
        if (manifest.total(split) == 0) {
            throw new VisionLakeException(String.format(
                    "dataset '%s' has no images in split '%s'; its splits are %s", name, split, manifest.counts()));
        }
        return read(spark, name).where(col(ImageSchema.SPLIT).equalTo(split));
    }
}
