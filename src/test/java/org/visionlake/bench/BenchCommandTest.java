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
