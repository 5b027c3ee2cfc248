package org.visionlake.nativecpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the ND4J native library build and the thread count of this JVM, once, before ND4J loads.
 *
 * <p>nd4j-native ships one native library per instruction set ({@code linux-x86_64}, {@code -onednn-avx2},
 * {@code -onednn-avx512}); JavaCPP loads whichever its platform-extension property names, and without it the one
 * that comes first on the class path. The oneDNN builds run convolutions about 8x faster than the default one, but
 * the AVX-512 build crashes on a CPU without AVX-512, so the choice follows the CPU flags of the machine the JVM runs
 * on. ND4J also sizes its OpenMP pool from logical CPUs of the host, not the cores the JVM may use; extra threads
 * only contend on a 2-core machine, so the pool is set to the physical cores available to this JVM.
 *
 * <p>Every entry point calls {@link #configure()} before it touches ND4J: the CLI's {@code main}, the Spark executor
 * plugin ({@link NativeBackendPlugin}) and the test launcher. An explicit {@code -Dorg.bytedeco.javacpp.platform
 * .extension=...} or the {@code VISIONLAKE_NATIVE} environment variable ({@code default}, {@code onednn-avx2},
 * {@code onednn-avx512}) overrides the detection.
 */
public final class NativeBackend {
    /** JavaCPP reads this property when it first loads a native library. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    public static final String OVERRIDE_ENV = "VISIONLAKE_NATIVE";

    private static final Logger log = LoggerFactory.getLogger(NativeBackend.class);
    private static final String LIBRARY_FOLDER = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    private static String[] selected;
    private static Choice choice;

    private NativeBackend() {}

    /** What was chosen: the platform extension ("" for the default build), its reason and the thread count. */
    public record Choice(String extension, String reason, int threads, String loadedFrom) {}

    /**
     * Sets the platform-extension property (cheap, loads nothing). The CLI calls it first thing in {@code main}, so
     * that whatever later loads ND4J (a command, Spark's Kryo registrator) gets the chosen build.
     */
    public static synchronized String selectBuild() {
        if (selected == null) {
            selected = pickExtension();
            System.setProperty(EXTENSION_PROPERTY, selected[0]);
        }
        return selected[0];
    }

    /** Selects the build, loads ND4J and sizes its threads on first call; later calls return the first choice. */
    public static synchronized Choice configure() {
        if (choice != null) {
            return choice;
        }
        selectBuild();
        String[] picked = selected;
        int threads = physicalCoresAvailable();
        applyThreads(threads);
        choice = new Choice(picked[0], picked[1], threads, loadedLibrary());
        log.info(
                "native backend: platform={}{} reason=\"{}\" threads={} library={}",
                Loader.getPlatform(),
                choice.extension(),
                choice.reason(),
                threads,
                choice.loadedFrom());
        return choice;
    }

    /** The choice made by {@link #configure()}, or null before it ran in this JVM. */
    public static synchronized Choice current() {
        return choice;
    }

    private static String[] pickExtension() {
        String explicit = System.getProperty(EXTENSION_PROPERTY);
        if (explicit != null) {
            return new String[] {explicit, "set by -D" + EXTENSION_PROPERTY};
        }
        String override = System.getenv(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return new String[] {fromOverride(override.trim()), "set by " + OVERRIDE_ENV + "=" + override.trim()};
        }
        Set<String> flags = cpuFlags();
        for (String[] candidate : new String[][] {{"-onednn-avx512", "avx512f"}, {"-onednn-avx2", "avx2"}}) {
            if (flags.contains(candidate[1]) && bundled(candidate[0])) {
                return new String[] {candidate[0], "cpu flag " + candidate[1]};
            }
        }
        return new String[] {"", flags.isEmpty() ? "cpu flags unknown" : "no avx2/avx512f build for this cpu"};
    }

    private static String fromOverride(String value) {
        String normalised = value.toLowerCase(Locale.ROOT);
        if (normalised.equals("default")) {
            return "";
        }
        String extension = normalised.startsWith("-") ? normalised : "-" + normalised;
        if (!bundled(extension)) {
            throw new IllegalStateException(OVERRIDE_ENV + "=" + value + " names no bundled ND4J native build:"
                    + " expected default, onednn-avx2 or onednn-avx512");
        }
        return extension;
    }

    /** Whether the class path holds the native library of {@code extension}, so that choosing it cannot fail. */
    static boolean bundled(String extension) {
        String resource = LIBRARY_FOLDER + platform() + extension + "/libjnind4jcpu.so";
        return NativeBackend.class.getClassLoader().getResource(resource) != null;
    }

    /**
     * JavaCPP's platform name, worked out without touching JavaCPP's Loader: its class initialisation reads the
     * platform-extension property, so calling it before the property is set would fix the default build.
     */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.replace(' ', '-');
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return osName + "-" + archName;
    }

    static Set<String> cpuFlags() {
        return parseFlags(readCpuInfo());
    }

    static Set<String> parseFlags(List<String> cpuInfo) {
        for (String line : cpuInfo) {
            if (line.startsWith("flags")) {
                int colon = line.indexOf(':');
                return new HashSet<>(
                        Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /**
     * Logical CPUs this JVM may use (container limits included) divided by the hardware threads per core: SMT
     * siblings share one core's vector units, so a second thread per core only adds contention to the kernels.
     */
    static int physicalCoresAvailable() {
        int logical = Runtime.getRuntime().availableProcessors();
        return Math.max(1, logical / threadsPerCore(readCpuInfo()));
    }

    static int threadsPerCore(List<String> cpuInfo) {
        int siblings = intField(cpuInfo, "siblings");
        int cores = intField(cpuInfo, "cpu cores");
        return siblings > 0 && cores > 0 && siblings >= cores ? siblings / cores : 1;
    }

    private static int intField(List<String> cpuInfo, String name) {
        for (String line : cpuInfo) {
            if (line.startsWith(name)) {
                try {
                    return Integer.parseInt(
                            line.substring(line.indexOf(':') + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static List<String> readCpuInfo() {
        Path cpuInfo = Paths.get("/proc/cpuinfo");
        try {
            return Files.readAllLines(cpuInfo);
        } catch (IOException e) {
            log.debug("cpu info unreadable path={} error={}", cpuInfo, e.toString());
            return List.of();
        }
    }

    /** Loads ND4J (with the property already set) and sizes its OpenMP pool, its op threads and OpenBLAS. */
    private static void applyThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    private static String loadedLibrary() {
        return Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> e.getKey().contains("jnind4jcpu"))
                .map(e -> e.getValue())
                .findFirst()
                .orElse("unknown");
    }
}
