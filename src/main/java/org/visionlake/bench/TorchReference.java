package org.visionlake.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private static final Pattern LINE =
            Pattern.compile("^(\\w+) n=(\\d+) params=(\\d+) train ([\\d.]+) img/s infer ([\\d.]+) img/s");
    private static final long TIMEOUT_MINUTES = 10;

    private TorchReference() {}

    /** Images/s per network ("resnet", "plain"), or the reason the reference did not run. */
    public record Result(Map<String, double[]> rates, String skipped) {
        public boolean available() {
            return skipped == null;
        }
    }

    public static Result run(String python, Path script, int blocksPerStage) {
        if (!Files.isRegularFile(script)) {
            return skipped("reference script not found at " + script + " (set --torch-script)");
        }
        if (!torchInstalled(python)) {
            return skipped(python + " cannot import torch; install Debian's python3-torch"
                    + " (apt-get install -y python3-torch) or set --python");
        }
        List<String> lines = new ArrayList<>();
        try {
            Process process = new ProcessBuilder(python, script.toString(), String.valueOf(blocksPerStage))
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            }
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                return skipped("reference script " + script + " failed: " + String.join(" | ", lines));
            }
        } catch (IOException e) {
            return skipped("cannot run " + python + " " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted while running " + script);
        }
        return parse(lines);
    }

    static Result parse(List<String> lines) {
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line.trim());
            if (m.find()) {
                rates.put(m.group(1), new double[] {Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
            }
        }
        if (!rates.containsKey("resnet")) {
            return skipped("reference output has no 'resnet n=... train ... infer ...' line: " + lines);
        }
        return new Result(rates, null);
    }

    private static boolean torchInstalled(String python) {
        try {
            Process probe = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .start();
            probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result skipped(String reason) {
        log.warn("torch reference skipped reason=\"{}\"", reason);
        return new Result(Map.of(), reason);
    }
}
