package org.visionlake.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.visionlake.ingest.IngestJob;
import org.visionlake.ingest.IngestResult;
import org.visionlake.ingest.IngestSettings;
import org.visionlake.ingest.SourceFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code visionlake demo}: the main job on the sample that ships inside the jar (2,000 Fashion-MNIST images as an
 * IDX pair), so a fresh machine sees the pipeline work without any download.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Ingest the embedded Fashion-MNIST sample into the lake and print what was written.")
public final class DemoCommand implements Callable<Integer> {
    /** The sample's files under the class path: two IDX pairs (gzip) and the label names. */
    static final String SAMPLE = "/samples/fashion-mnist-sample/";

    static final List<String> SAMPLE_FILES = List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
            "labels.txt");

    @Mixin
    CommonOptions common;

    @Option(
            names = "--name",
            defaultValue = "fashion-mnist-sample",
            description = "Dataset name (default: ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path folder = Files.createTempDirectory("visionlake-demo-");
        try {
            extractSample(folder);
            SparkSession spark = common.spark("demo");
            IngestSettings settings = IngestSettings.builder(folder.toUri().toString(), name)
                    .format(SourceFormat.IDX)
                    .build();
            IngestResult result = new IngestJob(spark, common.lake(spark)).run(settings);
            PrintWriter out = spec.commandLine().getOut();
            IngestCommand.print(out, result, common.json());
            if (!common.json()) {
                out.printf("%nnext: visionlake datasets show %s --lake %s%n", name, common.lake);
                out.flush();
            }
            return 0;
        } finally {
            deleteTree(folder);
        }
    }

    static void extractSample(Path folder) throws IOException {
        for (String file : SAMPLE_FILES) {
            try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE + file)) {
                if (in == null) {
                    throw new IllegalStateException("the embedded sample " + SAMPLE + file
                            + " is missing from the class path; rebuild with 'mvn package'");
                }
                Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's temporary folder " + folder, e);
        }
    }
}
