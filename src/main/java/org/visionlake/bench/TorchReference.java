package org.visionlake.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the PyTorch reference script ({@code torch_resnet_bench.py N}) and parses its lines
 * {@code resnet n=3 params=... train 401.0 img/s infer 1984.0 img/s}. The script needs Debian's
 * {@code python3-torch}; without it the result says why it was skipped instead of failing the benchmark.
 */
public final class TorchReference {
    private static final Logger log = LoggerFactory.getLogger(TorchReference.class);
    private static final Pattern LINE = Pattern.compile(
            "^(\\w+) n=(\\d+) params=(\\d+) train (\\d+(?:\\.\\d+)?) img/s infer (\\d+(?:\\.\\d+)?) img/s");
    private static final long TIMEOUT_MINUTES = 10;

    private TorchReference() {}

    /** Images/s per network ("resnet", "plain"), or the reason the reference did not run. */
    public record Result(Map<String, double[]> rates, String skipped) {
        public boolean available() {
            return skipped == null;
        }
    }

    /**
     * Per network and per rate, the median over the runs that produced one; the first run's reason when none did.
     * The script times a single pass of 10 iterations, which swings by 20% on a shared machine, so the benchmark
     * runs it several times around its own measurements and compares against the median.
     */
    public static Result median(List<Result> runs) {
        List<Result> available = runs.stream().filter(Result::available).toList();
        if (available.isEmpty()) {
            return runs.isEmpty() ? skipped("the reference was not run") : runs.get(0);
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String net : available.get(0).rates().keySet()) {
            List<double[]> perRun = available.stream()
                    .map(run -> run.rates().get(net))
                    .filter(java.util.Objects::nonNull)
                    .toList();
            rates.put(net, new double[] {median(perRun, 0), median(perRun, 1)});
        }
        return new Result(rates, null);
    }

    private static double median(List<double[]> rates, int index) {
        double[] sorted = rates.stream().mapToDouble(r -> r[index]).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static Result run(String python, Path script, int blocksPerStage) {
        if (!Files.isRegularFile(script)) {
            return skipped("reference script not found at " + script + " (set --torch-script)");
        }
        Path output = null;
        try {
            // Output goes to a file, so the timeout holds even if the script keeps its output open.
            output = Files.createTempFile("visionlake-torch-", ".log");
            Process process = new ProcessBuilder(python, script.toString(), String.valueOf(blocksPerStage))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return skipped("reference script " + script + " ran longer than " + TIMEOUT_MINUTES + " minutes");
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                return skipped(failure(python, script, lines));
            }
            return parse(lines, blocksPerStage);
        } catch (IOException e) {
            return skipped("cannot run " + python + " " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted while running " + script);
        } finally {
            deleteQuietly(output);
        }
    }

    /** The rates of the lines for {@code blocksPerStage}; lines for another depth or with zero rates do not count. */
    static Result parse(List<String> lines, int blocksPerStage) {
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line.trim());
            if (m.find() && Integer.parseInt(m.group(2)) == blocksPerStage) {
                double train = Double.parseDouble(m.group(4));
                double inference = Double.parseDouble(m.group(5));
                if (train > 0 && inference > 0) {
                    rates.put(m.group(1), new double[] {train, inference});
                }
            }
        }
        if (!rates.containsKey("resnet")) {
            return skipped("reference output has no 'resnet n=" + blocksPerStage
                    + " params=... train R img/s infer R img/s' line with positive rates: " + lines);
        }
        return new Result(rates, null);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static String failure(String python, Path script, List<String> lines) {
        String output = String.join(" | ", lines);
        if (output.contains("No module named 'torch'")) {
            return python + " cannot import torch; install Debian's python3-torch (apt-get install -y python3-torch)"
                    + " or set --python";
        }
        return "reference script " + script + " failed: " + output;
    }

    private static Result skipped(String reason) {
        log.warn("torch reference skipped reason=\"{}\"", reason);
        return new Result(Map.of(), reason);
    }
}
