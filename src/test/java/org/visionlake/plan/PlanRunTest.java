package org.visionlake.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.CifarSample;
import org.visionlake.testing.TestSpark;

/** Plans end to end through the CLI: ingest of real CIFAR-10 JPEGs, residual cells, skip, retry and the lock. */
class PlanRunTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Lake lake;
    static Path plan;

    @BeforeAll
    static void writePlanAndImages() throws Exception {
        spark = TestSpark.session();
        lake = Lake.open(dir.resolve("lake").toString(), spark.sparkContext().hadoopConfiguration());
        plan = dir.resolve("tiny.yaml");
        try (InputStream in = PlanRunTest.class.getResourceAsStream("/plans/tiny.yaml")) {
            Files.copy(in, plan);
        }
        for (String label : List.of("airplane", "frog")) {
            writeJpegs("train", label, 24);
            writeJpegs("test", label, 8);
        }
    }

    private static void writeJpegs(String split, String label, int n) throws Exception {
        Path folder = Files.createDirectories(
                dir.resolve("tiny-images").resolve(split).resolve(label));
        List<byte[]> jpegs = CifarSample.jpegs(split, label);
        for (int i = 0; i < n; i++) {
            Files.write(folder.resolve(i + ".jpg"), jpegs.get(i));
        }
    }

    @Test
    void planRun_ingestsRunsRetriesFailedAndSkipsDoneCells() throws Exception {
        PlanStatus before = status();
        assertThat(before.cells()).hasSize(2).allSatisfy(cell -> assertThat(cell.state())
                .isEqualTo(CellState.PENDING));
        assertThat(before.cells())
                .extracting(PlanStatus.Cell::grid)
                .containsExactly(Map.of("blocks", 1), Map.of("blocks", 2));
        assertThat(before.cells().get(0).runId())
                .startsWith("tiny-residual-")
                .isNotEqualTo(before.cells().get(1).runId());

        // An earlier attempt at the second cell that failed: the plan must say so and retry it.
        String second = before.cells().get(1).runId();
        RunWriter.start(lake, "residual", second, Map.of()).fail(new IllegalStateException("executor lost"));
        PlanStatus withFailure = status();
        assertThat(withFailure.cells().get(1).state()).isEqualTo(CellState.FAILED);
        assertThat(withFailure.cells().get(1).error()).contains("executor lost");
        assertThat(cli("plan", "status", plan.toString(), "--lake", lake.toString())
                        .out())
                .contains("failed, retried by the next plan run");

        Result first = cli("plan", "run", plan.toString(), "--lake", lake.toString());
        assertThat(first.status()).as(first.out()).isZero();
        assertThat(first.out()).contains("cell 1/2", "starting", "cell 2/2", "resuming failed run", "complete");
        PlanStatus after = status();
        assertThat(after.counts()).containsEntry(CellState.DONE, 2);
        assertThat(after.completeRunIds()).containsExactly(before.cells().get(0).runId(), second);
        RunRecord record = RunWriter.read(lake, second);
        assertThat(record.state()).isEqualTo(RunState.COMPLETE);
        assertThat(record.configuration()).containsEntry("blocks", 2).containsEntry("epochs", 1);
        assertThat(lake.exists(PlanLock.path(lake, "tiny"))).isFalse();

        Result again = cli("plan", "run", plan.toString(), "--lake", lake.toString());
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("done, skipped").doesNotContain("starting");
        assertThat(RunWriter.read(lake, second).finishedAt()).isEqualTo(record.finishedAt());

        // The plan as one document: both cells' runs, with the depth sweep beside the ResNet paper's numbers.
        java.nio.file.Path report = plan.getParent().resolve("plan-report");
        Result reported =
                cli("report", "--plan", plan.toString(), "--lake", lake.toString(), "--out", report.toString());
        assertThat(reported.status()).as(reported.err()).isZero();
        String html = java.nio.file.Files.readString(report.resolve("index.html"));
        assertThat(html).contains("VisionLake plan tiny", "Depth comparison", "paper_resnet_test_accuracy");
        assertThat(html).contains(before.cells().get(0).runId(), second);
    }

    @Test
    void transferPlan_pretrainsThenTransfersFromThatBackbone() throws Exception {
        Path transferPlan = dir.resolve("tiny-transfer.yaml");
        try (InputStream in = PlanRunTest.class.getResourceAsStream("/plans/tiny-transfer.yaml")) {
            Files.copy(in, transferPlan, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        Result run = cli("plan", "run", transferPlan.toString(), "--lake", lake.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        PlanStatus status = PlanStatus.read(lake, PlanFile.read(transferPlan));
        assertThat(status.counts()).containsEntry(CellState.DONE, 2);
        RunRecord transfer = RunWriter.read(lake, status.cells().get(1).runId());
        assertThat(transfer.experiment()).isEqualTo("transfer");
        assertThat(transfer.configuration()).containsEntry("source_model", "tiny-backbone");
        assertThat((List<?>) transfer.metrics().get("results")).hasSize(3);
        assertThat(cli("plan", "run", transferPlan.toString(), "--lake", lake.toString())
                        .out())
                .contains("done, skipped")
                .doesNotContain("starting");
    }

    @Test
    void liveLock_refusesASecondPlanRun_andAStaleOneIsTakenOver() throws Exception {
        try (PlanLock held = PlanLock.acquire(lake, "locked")) {
            assertThatThrownBy(() -> PlanLock.acquire(lake, "locked"))
                    .isInstanceOf(VisionLakeException.class)
                    .hasMessageContaining("plan 'locked' is already running")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(lake.exists(PlanLock.path(lake, "locked"))).isFalse();

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String now = Instant.now().toString();
        PlanLock.Holder dead = new PlanLock.Holder("old", gone.pid(), PlanLock.thisHost(), now, now);
        lake.writeText(PlanLock.path(lake, "locked"), Json.write(dead));
        try (PlanLock taken = PlanLock.acquire(lake, "locked")) {
            assertThat(PlanLock.holder(lake, "locked").orElseThrow().pid())
                    .isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void badPlans_failWithAMessageNamingTheProblem() throws Exception {
        Path unknown = dir.resolve("unknown-parameter.yaml");
        Files.writeString(
                unknown, "name: bad\nexperiments:\n  - type: residual\n    dataset: x\n    parameters: {blokcs: 3}\n");
        Result result = cli("plan", "status", unknown.toString(), "--lake", lake.toString());
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("unknown residual parameter(s) [blokcs]", "blocks");

        Path both = dir.resolve("both.yaml");
        Files.writeString(
                both,
                "name: bad\nexperiments:\n  - type: residual\n    dataset: x\n    parameters: {blocks: 3}\n"
                        + "    grid: {blocks: [1, 2]}\n");
        assertThatThrownBy(() -> PlanFile.read(both)).hasMessageContaining("sets 'blocks' both in");
        assertThatThrownBy(() -> PlanFile.expand("${NO_SUCH_VARIABLE_SET}/cifar", Map.of()))
                .hasMessageContaining("uses ${NO_SUCH_VARIABLE_SET}, which is not set");
        assertThat(PlanFile.expand("${NO_SUCH_VARIABLE_SET:-/data}/cifar", Map.of()))
                .isEqualTo("/data/cifar");
    }

    @Test
    void projectPlans_parseAndExpandToTheirGrids() {
        PlanFile depth = PlanFile.read(Path.of("plans/depth-sweep.yaml"));
        List<PlanCell> cells = PlanCell.expand(depth, CellRunners.available());
        assertThat(cells)
                .extracting(cell -> cell.effective().get("weight_layers"))
                .containsExactly(20, 32, 44, 56);
        PlanFile seed = PlanFile.read(Path.of("plans/seed-notebook.yaml"));
        assertThat(PlanCell.expand(seed, CellRunners.available()).get(0).effective())
                .containsEntry("blocks", 6)
                .containsEntry("epochs", 10)
                .containsEntry("batch_size_per_worker", 32);
        List<PlanCell> notebook = PlanCell.expand(seed, CellRunners.available());
        assertThat(notebook).extracting(PlanCell::experiment).containsExactly("residual", "pretrain", "transfer");
        assertThat(notebook.get(2).effective())
                .containsEntry("source_model", "cifar10-resnet20")
                .containsEntry("stage1_epochs", 6)
                .containsEntry("stage2_epochs", 3)
                .containsEntry("batch_size", 16);

        List<PlanCell> sizes =
                PlanCell.expand(PlanFile.read(Path.of("plans/data-size-sweep.yaml")), CellRunners.available());
        assertThat(sizes.subList(1, sizes.size()))
                .extracting(cell -> cell.effective().get("train_sizes"))
                .containsExactly(List.of(100), List.of(300), List.of(1000), List.of(3000), List.of(10000));
        assertThatThrownBy(() -> TransferCellRunner.settings("cats", Map.of("head-epochs", 6)))
                .hasMessageContaining("unknown transfer parameter(s) [head-epochs]");
    }

    private static PlanStatus status() {
        return PlanStatus.read(lake, PlanFile.read(plan));
    }

    record Result(int status, String out, String err) {}

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = VisionLake.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Result(status, out.toString(), err.toString());
    }
}
