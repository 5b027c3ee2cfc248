package org.visionlake.experiment.transfer;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.visionlake.lake.Lake;
import org.visionlake.spark.SparkSessions;
import org.visionlake.testing.ArchiveImages;

/**
 * Fills a lake with real CIFAR-10 and cats-vs-dogs images from the shared archives, for the measured transfer runs
 * of the README: {@code ArchiveLakeMain LAKE CIFAR_PER_CLASS CIFAR_EVAL_PER_CLASS PETS_PER_CLASS PETS_EVAL}.
 */
public final class ArchiveLakeMain {
    private static final List<String> CIFAR_LABELS =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private ArchiveLakeMain() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSessions.getOrCreate("archive-lake", "local[2]");
        Lake lake = Lake.open(args[0], spark.sparkContext().hadoopConfiguration());
        int cifarPerClass = Integer.parseInt(args[1]);
        int cifarEval = Integer.parseInt(args[2]);
        ArchiveImages.publish(
                spark, lake, "cifar10", ArchiveImages.cifar(CIFAR_LABELS, cifarPerClass, cifarEval), CIFAR_LABELS);
        ArchiveImages.publish(
                spark,
                lake,
                "cats-vs-dogs",
                ArchiveImages.catsVsDogs(Integer.parseInt(args[3]), Integer.parseInt(args[4])),
                List.of("cat", "dog"));
        spark.stop();
    }
}
