package org.visionlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.experiment.residual.ResidualConfig;
import org.visionlake.experiment.residual.ResidualExperiment;
import org.visionlake.ingest.IngestJob;
import org.visionlake.ingest.IngestResult;
import org.visionlake.ingest.IngestSettings;
import org.visionlake.ingest.SourceFormat;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;
import org.visionlake.train.LearningRateSchedule;

/**
 * The Hadoop file-system path end to end on a real HDFS: an in-process MiniDFSCluster (one name node, one data
 * node, loopback only) holds both the source images and the lake. Every path below is a full {@code hdfs://} URI and
 * the shared Spark session's Hadoop configuration is used as it is, so the test leaves {@code fs.defaultFS} of the
 * other test classes alone and proves that nothing in ingest or training quietly falls back to the local disk.
 */
class HdfsLakeTest {
    private static final List<String> CLASSES = List.of("airplane", "cat", "ship");
    private static final int TRAIN_PER_CLASS = 12;
    private static final int TEST_PER_CLASS = 4;
    private static final String DATASET = "cifar-hdfs";

    @TempDir
    static Path dir;

    static MiniDFSCluster cluster;
    static SparkSession spark;
    static String hdfs;
    static Lake lake;
    static IngestResult ingested;

    @BeforeAll
    static void startHdfsAndIngest() throws IOException {
        cluster = new MiniDFSCluster.Builder(loopbackConf(), dir.resolve("dfs").toFile())
                .numDataNodes(1)
                .build();
        cluster.waitActive();
        // The cluster names itself localhost; the lake says 127.0.0.1 so that no resolver can pick another address.
        hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
        copyCifarJpegs(cluster.getFileSystem());

        spark = TestSpark.session();
        lake = Lake.open(hdfs + "/lake", spark.sparkContext().hadoopConfiguration());
        ingested = new IngestJob(spark, lake)
                .run(IngestSettings.builder(hdfs + "/images", DATASET)
                        .format(SourceFormat.IMAGEFOLDER)
                        .valFraction(0) // the source's own train/test folders, so the counts are exact
                        .build());
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    /** Name node and data node on 127.0.0.1 only, with ephemeral ports: nothing is reachable from outside. */
    private static Configuration loopbackConf() {
        Configuration conf = new HdfsConfiguration();
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.https-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.namenode.https-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.https.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", 1);
        return conf;
    }

    /** Real CIFAR-10 JPEGs into hdfs:///images/{train,test}/<class>/, as a user would upload a class-folder tree. */
    private static void copyCifarJpegs(FileSystem fs) throws IOException {
        for (String label : CLASSES) {
            write(fs, "train", label, CifarSample.jpegs("train", label).subList(0, TRAIN_PER_CLASS));
            write(fs, "test", label, CifarSample.jpegs("test", label).subList(0, TEST_PER_CLASS));
        }
    }

    private static void write(FileSystem fs, String split, String label, List<byte[]> jpegs) throws IOException {
        for (int i = 0; i < jpegs.size(); i++) {
            org.apache.hadoop.fs.Path file =
                    new org.apache.hadoop.fs.Path(String.format("/images/%s/%s/%04d.jpg", split, label, i));
            try (OutputStream out = fs.create(file, false)) {
                out.write(jpegs.get(i));
            }
        }
    }

    @Test
    void miniCluster_listensOnLoopbackOnly() {
        List<InetSocketAddress> addresses = List.of(
                cluster.getNameNode().getNameNodeAddress(),
                cluster.getNameNode().getHttpAddress(),
                cluster.getDataNodes().get(0).getXferAddress());

        assertThat(addresses).allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress())
                .as("%s", a)
                .isTrue());
    }

    @Test
    void ingest_hdfsSourceIntoHdfsLake_countsEveryClassAndWritesParquetOnHdfs() throws IOException {
        Map<String, Long> train = Map.of("airplane", 12L, "cat", 12L, "ship", 12L);
        Map<String, Long> test = Map.of("airplane", 4L, "cat", 4L, "ship", 4L);

        DatasetManifest manifest = new LakeDatasets(lake).manifest(DATASET);
        assertThat(ingested.read()).isEqualTo(48);
        assertThat(ingested.written()).isEqualTo(48);
        assertThat(ingested.quarantined()).isEmpty();
        assertThat(manifest.source()).isEqualTo(hdfs + "/images");
        assertThat(manifest.labels()).containsExactlyElementsOf(CLASSES);
        assertThat(manifest.shape()).isEqualTo(new DatasetManifest.Shape(32, 32, 3)); // probed from HDFS
        assertThat(manifest.counts()).containsOnlyKeys(ImageSchema.TRAIN, ImageSchema.TEST);
        assertThat(manifest.counts().get(ImageSchema.TRAIN)).containsExactlyInAnyOrderEntriesOf(train);
        assertThat(manifest.counts().get(ImageSchema.TEST)).containsExactlyInAnyOrderEntriesOf(test);

        List<String> parquet = files(lake.datasetPath(DATASET), ".parquet");
        assertThat(lake.datasetPath(DATASET).toString()).isEqualTo(hdfs + "/lake/datasets/" + DATASET);
        assertThat(parquet)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f).startsWith(hdfs + "/lake/datasets/" + DATASET + "/split="))
                .anyMatch(f -> f.contains("/split=train/"))
                .anyMatch(f -> f.contains("/split=test/"));
        assertThat(new LakeDatasets(lake).read(spark, DATASET).count()).isEqualTo(48);
        assertThat(files(lake.root(), "")).noneMatch(f -> f.contains("/_staging/"));
    }

    @Test
    void residualExperiment_readingTheHdfsLake_completesWithItsRunOnHdfs() throws IOException {
        ResidualConfig config = new ResidualConfig(
                DATASET, 1, 1, 6, 0.05, LearningRateSchedule.CONSTANT, 3, 0, 0, 2, 1, 1, 12, 8, "hdfs-run");

        RunRecord record = new ResidualExperiment(spark, lake).run(config);

        assertThat(record.state()).isEqualTo(RunState.COMPLETE);
        assertThat(record.configuration())
                .containsEntry("input_shape", "32x32x3")
                .containsEntry("val_split", "test");
        assertThat(record.files())
                .contains("_run.json", "metrics.csv", "models/plain.zip", "models/residual.zip")
                .anyMatch(f -> f.startsWith("metrics.parquet/part-"));
        org.apache.hadoop.fs.Path run = lake.runPath("hdfs-run");
        assertThat(run.toString()).isEqualTo(hdfs + "/lake/runs/hdfs-run");
        FileSystem fs = lake.fs();
        for (String file : record.files()) {
            assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path(run, file))
                            .isFile())
                    .as("%s on HDFS", file)
                    .isTrue();
        }
        assertThat(RunWriter.read(lake, "hdfs-run").state()).isEqualTo(RunState.COMPLETE);
        assertThat(spark.read().parquet(run + "/metrics.parquet").count()).isEqualTo(2);
    }

    /** Full URIs of the files under {@code root} whose names end with {@code suffix}, listed through HDFS. */
    private static List<String> files(org.apache.hadoop.fs.Path root, String suffix) throws IOException {
        List<String> found = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = lake.fs().listFiles(root, true);
        while (it.hasNext()) {
            String path = it.next().getPath().toString();
            if (path.endsWith(suffix)) {
                found.add(path);
            }
        }
        return found;
    }
}
