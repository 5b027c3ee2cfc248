package org.visionlake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.Json;

/**
 * {@code visionlake bench} measures real DL4J training and inference; the PyTorch side is whatever script
 * {@code --torch-script} names, so a script that prints fixed lines in the reference's format checks the parsing,
 * the median over runs and the ratios without depending on torch being installed.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void bench_reportsDl4jRatesAndRatiosAgainstTheMedianReferenceRun() throws Exception {
        Path counter = dir.resolve("runs");
        Path script = dir.resolve("reference.sh");
        // Three runs print train rates 100, 300 and 200: their median is 200, neither the first nor the mean.
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "n=$(cat '" + counter + "' 2>/dev/null || echo 0)",
                        "echo $((n + 1)) > '" + counter + "'",
                        "case $n in 0) t=100.0 i=1000.0 ;; 1) t=300.0 i=3000.0 ;; *) t=200.0 i=2000.0 ;; esac",
                        "echo \"resnet n=$1 params=1 train $t img/s infer $i img/s\"",
                        "echo \"plain n=$1 params=1 train $t img/s infer $i img/s\"",
                        ""));

        // The reference runs as "<python> <script> <blocks>"; a shell stands in for python here.
        JsonNode summary = quickBench("--torch-script=" + script, "--python=/bin/sh");

        JsonNode resnet = summary.get("networks").get("resnet");
        assertThat(resnet.get("dl4j_train_img_per_s").asDouble()).isPositive();
        assertThat(resnet.get("dl4j_inference_img_per_s").asDouble()).isPositive();
        assertThat(resnet.get("torch_train_img_per_s").asDouble()).isEqualTo(200.0);
        assertThat(resnet.get("torch_inference_img_per_s").asDouble()).isEqualTo(2000.0);
        assertThat(summary.get("train_ratio").asDouble())
                .isCloseTo(resnet.get("dl4j_train_img_per_s").asDouble() / 200.0, offset(1e-9));
        assertThat(summary.get("torch_runs")).hasSize(3);
        assertThat(Files.readString(counter).trim()).isEqualTo("3");
    }

    @Test
    void bench_withoutTorch_saysWhyAndStillMeasuresDl4j() throws Exception {
        JsonNode summary = quickBench("--torch-script=" + dir.resolve("missing.py"));

        assertThat(summary.get("torch_skipped").asText()).contains("reference script not found");
        assertThat(summary.get("train_ratio").isNull()).isTrue();
        assertThat(summary.get("networks")
                        .get("plain")
                        .get("dl4j_train_img_per_s")
                        .asDouble())
                .isPositive();
        // A missing script fails the same way every time: one attempt, not three.
        assertThat(summary.get("torch_runs")).hasSize(1);
    }

    @Test
    void bench_refusesCountsItCannotMeasureWithBeforeAnyWork() {
        for (String[] option : new String[][] {
            {"--repeats=0", "--repeats must be at least 1, found 0"},
            {"--iterations=-1", "--iterations must be at least 1, found -1"},
            {"--batch=0", "--batch must be at least 1, found 0"},
            {"--warmup=-5", "--warmup must be at least 0, found -5"},
        }) {
            StringWriter err = new StringWriter();
            var commandLine = VisionLake.commandLine();
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));

            int status = commandLine.execute("bench", "--no-torch", option[0]);

            assertThat(status).as(option[0]).isEqualTo(2);
            assertThat(err.toString()).contains(option[1]);
        }
    }

    @Test
    void parse_acceptsOnlyWellFormedPositiveRatesForTheRequestedDepth() {
        String good = "resnet n=3 params=272474 train 401.5 img/s infer 1984 img/s";

        assertThat(TorchReference.parse(List.of(good), 3).rates().get("resnet")).containsExactly(401.5, 1984.0);
        assertThat(TorchReference.parse(List.of("resnet n=3 params=1 train . img/s infer 5 img/s"), 3)
                        .skipped())
                .contains("no 'resnet n=3");
        assertThat(TorchReference.parse(List.of("resnet n=3 params=1 train 1.2.3 img/s infer 5 img/s"), 3)
                        .available())
                .isFalse();
        assertThat(TorchReference.parse(List.of("resnet n=3 params=1 train 0 img/s infer 5 img/s"), 3)
                        .available())
                .isFalse();
        // A script that measured another depth than asked for compares different networks.
        assertThat(TorchReference.parse(List.of(good), 9).available()).isFalse();
    }

    @Test
    void median_takesEachRateOverTheRunsThatProducedOne() {
        TorchReference.Result first = new TorchReference.Result(Map.of("resnet", new double[] {400, 1900}), null);
        TorchReference.Result failed = new TorchReference.Result(Map.of(), "torch crashed");
        TorchReference.Result second = new TorchReference.Result(Map.of("resnet", new double[] {500, 1700}), null);

        TorchReference.Result median = TorchReference.median(List.of(first, failed, second));

        assertThat(median.available()).isTrue();
        assertThat(median.rates().get("resnet")).containsExactly(450.0, 1800.0);
        assertThat(TorchReference.median(List.of(failed)).skipped()).isEqualTo("torch crashed");
    }

    /** ResNet-8 and its plain twin, one iteration each way: enough to exercise the command, not to time it. */
    private static JsonNode quickBench(String... torchOptions) throws Exception {
        List<String> args = new java.util.ArrayList<>(
                List.of("bench", "--blocks=1", "--warmup=1", "--iterations=1", "--repeats=1", "--json"));
        args.addAll(List.of(torchOptions));
        return Json.mapper().readTree(run(args.toArray(String[]::new)));
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        var commandLine = VisionLake.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        int status = commandLine.execute(args);
        assertThat(status).as("exit status of %s", List.of(args)).isZero();
        return out.toString();
    }
}
