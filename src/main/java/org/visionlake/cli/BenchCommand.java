package org.visionlake.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.visionlake.VisionLakeException;
import org.visionlake.bench.ThroughputBench;
import org.visionlake.bench.TorchReference;
import org.visionlake.lake.Json;
import org.visionlake.nativecpu.NativeBackend;
import org.visionlake.nn.CifarNetworks;
import org.visionlake.nn.Kernels;
import org.visionlake.nn.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code visionlake bench}: training and inference images/s of the CIFAR ResNet and its plain twin in DL4J, beside
 * the PyTorch reference script on the same machine in the same run, with the ratios.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Training and inference images/s of ResNet-20 and the plain net (32x32, random data) in DL4J,"
                + " side by side with the PyTorch reference, with ratios.")
public final class BenchCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Option(names = "--blocks", defaultValue = "3", description = "Blocks per stage (3: ResNet-20).")
    int blocks;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size.")
    int batch;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            description = "Untimed iterations first (default: ${DEFAULT-VALUE}): oneDNN builds its kernels on the first"
                    + " calls, and the JIT needs about 50 training iterations to compile DL4J's Java side; an epoch"
                    + " of CIFAR-10 runs 782.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "Iterations per timed repeat.")
    int iterations;

    @Option(
            names = "--repeats",
            defaultValue = "5",
            description = "Timed repeats; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(
            names = "--kernels",
            defaultValue = "NATIVE",
            description = "Layer implementations: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kernels kernels;

    @Option(
            names = "--torch-script",
            paramLabel = "PATH",
            defaultValue = "${sys:visionlake.home:-.}/../shared/bench/torch_resnet_bench.py",
            description = "PyTorch reference script (default: ${DEFAULT-VALUE}).")
    Path torchScript;

    @Option(
            names = "--python",
            paramLabel = "EXE",
            description = "Python with torch; default /usr/bin/python3 (Debian's python3-torch) if present, else"
                    + " python3.")
    String python;

    @Option(
            names = "--torch-runs",
            defaultValue = "3",
            description = "Runs of the PyTorch reference, spread before, between and after the DL4J measurements;"
                    + " the ratios use their median (default: ${DEFAULT-VALUE}).")
    int torchRuns;

    @Option(names = "--no-torch", description = "Skip the PyTorch reference.")
    boolean noTorch;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--iterations", iterations, 1);
        requireAtLeast("--repeats", repeats, 1);
        requireAtLeast("--warmup", warmup, 0);
        requireAtLeast("--torch-runs", torchRuns, 0);
        NativeBackend.Choice backend = NativeBackend.configure();
        ThroughputBench bench = new ThroughputBench(batch, warmup, iterations, repeats);
        NetworkSpec network = NetworkSpec.cifar(32, 32, 3, 10, blocks, 42);
        Map<String, ThroughputBench.Rates> dl4j = new LinkedHashMap<>();
        List<TorchReference.Result> torchResults = new ArrayList<>();

        // Machine speed drifts over a minute on shared hosts: interleaving keeps it from favouring either side.
        runTorch(torchResults, 0);
        dl4j.put("resnet", measure(bench, "resnet", CifarNetworks.residual(network, kernels)));
        runTorch(torchResults, 1);
        dl4j.put("plain", measure(bench, "plain", CifarNetworks.plain(network, kernels)));
        while (!noTorch && torchResults.size() < torchRuns) {
            runTorch(torchResults, torchResults.size());
        }

        TorchReference.Result torch = noTorch
                ? new TorchReference.Result(Map.of(), "skipped by --no-torch")
                : TorchReference.median(torchResults);
        print(backend, dl4j, torch, torchResults);
    }

    private static void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new VisionLakeException(option + " must be at least " + minimum + ", found " + value);
        }
    }

    /** Runs the reference for slot {@code slot} if the configured number of runs reaches it. */
    private void runTorch(List<TorchReference.Result> results, int slot) {
        if (noTorch || slot >= torchRuns) {
            return;
        }
        TorchReference.Result result = TorchReference.run(pythonExecutable(), torchScript, blocks);
        results.add(result);
        if (results.stream().noneMatch(TorchReference.Result::available)) {
            // A first failure (no script, no torch) repeats on every run; a later one may be a passing hiccup.
            torchRuns = results.size();
        }
    }

    private static ThroughputBench.Rates measure(ThroughputBench bench, String name, ComputationGraph net) {
        return bench.measure(name, net, 32, 32, 3, 10);
    }

    private String pythonExecutable() {
        if (python != null) {
            return python;
        }
        return Files.isExecutable(Paths.get("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private void print(
            NativeBackend.Choice backend,
            Map<String, ThroughputBench.Rates> dl4j,
            TorchReference.Result torch,
            List<TorchReference.Result> torchResults) {
        PrintWriter out = spec.commandLine().getOut();
        if (common.json()) {
            out.println(Json.write(summary(backend, dl4j, torch, torchResults)));
            return;
        }
        out.printf(
                "native backend: %s (%s), threads=%d, kernels=%s, batch=%d, 32x32, DL4J median of %d x %d"
                        + " iterations, PyTorch median of %d runs%n",
                backend.extension().isEmpty() ? "default" : backend.extension().substring(1),
                backend.reason(),
                backend.threads(),
                kernels,
                batch,
                repeats,
                iterations,
                torchResults.stream().filter(TorchReference.Result::available).count());
        out.printf(
                "%-8s %14s %14s %14s %14s %8s %8s%n",
                "NET", "DL4J train", "torch train", "DL4J infer", "torch infer", "train x", "infer x");
        for (Map.Entry<String, ThroughputBench.Rates> e : dl4j.entrySet()) {
            double[] ref = torch.rates().get(e.getKey());
            ThroughputBench.Rates r = e.getValue();
            out.printf(
                    "%-8s %10.1f i/s %10s i/s %10.1f i/s %10s i/s %8s %8s%n",
                    e.getKey(),
                    r.trainMedian(),
                    ref == null ? "-" : String.format("%.1f", ref[0]),
                    r.inferenceMedian(),
                    ref == null ? "-" : String.format("%.1f", ref[1]),
                    ref == null ? "-" : String.format("%.2f", r.trainMedian() / ref[0]),
                    ref == null ? "-" : String.format("%.2f", r.inferenceMedian() / ref[1]));
        }
        for (int run = 0; run < torchResults.size(); run++) {
            TorchReference.Result result = torchResults.get(run);
            double[] resnet = result.rates().get("resnet");
            out.println(
                    resnet == null
                            ? String.format("PyTorch run %d: %s", run + 1, result.skipped())
                            : String.format(
                                    "PyTorch run %d: resnet train %.1f i/s, infer %.1f i/s",
                                    run + 1, resnet[0], resnet[1]));
        }
        if (!torch.available()) {
            out.println("PyTorch reference not run: " + torch.skipped());
        }
    }

    private Map<String, Object> summary(
            NativeBackend.Choice backend,
            Map<String, ThroughputBench.Rates> dl4j,
            TorchReference.Result torch,
            List<TorchReference.Result> torchResults) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measured_at", Instant.now().toString());
        json.put("native_platform_extension", backend.extension());
        json.put("native_reason", backend.reason());
        json.put("threads", backend.threads());
        json.put("kernels", kernels.name());
        json.put("batch", batch);
        json.put("blocks_per_stage", blocks);
        double[] resnetRef = torch.rates().get("resnet");
        json.put("train_ratio", resnetRef == null ? null : dl4j.get("resnet").trainMedian() / resnetRef[0]);
        json.put(
                "inference_ratio", resnetRef == null ? null : dl4j.get("resnet").inferenceMedian() / resnetRef[1]);
        Map<String, Object> nets = new LinkedHashMap<>();
        for (Map.Entry<String, ThroughputBench.Rates> e : dl4j.entrySet()) {
            Map<String, Object> net = new LinkedHashMap<>();
            net.put("dl4j_train_img_per_s", e.getValue().trainMedian());
            net.put("dl4j_inference_img_per_s", e.getValue().inferenceMedian());
            net.put("dl4j_train_repeats", e.getValue().train());
            net.put("dl4j_inference_repeats", e.getValue().inference());
            double[] ref = torch.rates().get(e.getKey());
            if (ref != null) {
                net.put("torch_train_img_per_s", ref[0]);
                net.put("torch_inference_img_per_s", ref[1]);
                net.put("train_ratio", e.getValue().trainMedian() / ref[0]);
                net.put("inference_ratio", e.getValue().inferenceMedian() / ref[1]);
            }
            nets.put(e.getKey(), net);
        }
        json.put("networks", nets);
        json.put(
                "torch_runs",
                torchResults.stream().map(TorchReference.Result::rates).toList());
        json.put("torch_skipped", torch.skipped());
        return json;
    }
}
