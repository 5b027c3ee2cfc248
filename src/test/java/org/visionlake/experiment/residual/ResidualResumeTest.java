package org.visionlake.experiment.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;

/**
 * A residual run killed with SIGKILL mid-training (a child JVM running the CLI) resumes from its last checkpoint and
 * ends with the metrics of a run that was never interrupted.
 */
class ResidualResumeTest {
    private static final String[] SETTINGS =
            "--dataset resume-cifar --blocks 1 --epochs 2 --batch-size 8 --averaging-frequency 2 --train-eval-images 16"
                    .split(" ");

    @TempDir
    Path dir;

    @Test
    void killedRun_resumesFromCheckpointWithTheMetricsOfAnUninterruptedRun() throws Exception {
        SparkSession spark = TestSpark.session();
        Path lakeDir = dir.resolve("lake");
        Lake lake = Lake.open(lakeDir.toString(), spark.sparkContext().hadoopConfiguration());
        CifarSample.publish(spark, lake, "resume-cifar", List.of("airplane", "frog"), 32, 16, 8);

        assertThat(cli(lakeDir, "--run-id", "straight")).isZero();

        Path checkpoint = lakeDir.resolve("_staging/checkpoints-killed/state.json");
        Process child = childJvm(lakeDir, "--run-id", "killed");
        try {
            while (!Files.exists(checkpoint) && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive())
                    .as("the child ended before its first checkpoint: %s", Files.readString(dir.resolve("child.log")))
                    .isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no failure record
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(RunWriter.read(lake, "killed").state()).isEqualTo(RunState.RUNNING);
        assertThat(cli(lakeDir, "--run-id", "killed"))
                .as("a plain rerun must refuse the id")
                .isEqualTo(2);

        // The first epoch's timing is carried over from the checkpoint, not measured again: proof of a resume.
        List<?> saved = (List<?>) ((List<?>) ((Map<?, ?>) Json.read(Files.readString(checkpoint), Map.class)
                                .get("state"))
                        .get("metrics"))
                .get(0);
        assertThat(cli(lakeDir, "--run-id", "killed", "--resume")).isZero();

        RunRecord resumed = RunWriter.read(lake, "killed");
        RunRecord straight = RunWriter.read(lake, "straight");
        assertThat(resumed.state()).isEqualTo(RunState.COMPLETE);
        for (String metric :
                List.of("plain_val_accuracy", "plain_val_loss", "residual_val_accuracy", "residual_val_loss")) {
            assertThat((Double) resumed.metrics().get(metric))
                    .as(metric)
                    .isCloseTo((Double) straight.metrics().get(metric), within(1e-4));
        }
        List<Row> resumedRows = metrics(spark, lakeDir, "killed");
        List<Row> straightRows = metrics(spark, lakeDir, "straight");
        assertThat(resumedRows).hasSize(4);
        assertThat(resumedRows.get(0).getDouble(7)).isEqualTo(((Number) saved.get(7)).doubleValue());
        for (int i = 0; i < resumedRows.size(); i++) {
            assertThat(resumedRows.get(i).getDouble(3))
                    .isCloseTo(straightRows.get(i).getDouble(3), within(1e-4));
            assertThat(resumedRows.get(i).getDouble(5))
                    .isCloseTo(straightRows.get(i).getDouble(5), within(1e-4));
        }
        assertThat(lakeDir.resolve("_staging/checkpoints-killed")).doesNotExist();
    }

    private static List<Row> metrics(SparkSession spark, Path lakeDir, String run) {
        return spark.read()
                .parquet(lakeDir.resolve("runs/" + run + "/metrics.parquet").toString())
                .orderBy("network", "epoch")
                .collectAsList();
    }

    private static int cli(Path lakeDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("experiment", "residual", "--lake", lakeDir.toString()));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(extra));
        var commandLine = VisionLake.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args.toArray(String[]::new));
    }

    /** The CLI in a JVM of its own, with this JVM's class path and module flags. */
    private Process childJvm(Path lakeDir, String... extra) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Dlog4j")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VisionLake.class.getName()));
        command.addAll(List.of("experiment", "residual", "--lake", lakeDir.toString()));
        command.addAll(List.of(SETTINGS));
        command.addAll(List.of(extra));
        File log = dir.resolve("child.log").toFile();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }
}
