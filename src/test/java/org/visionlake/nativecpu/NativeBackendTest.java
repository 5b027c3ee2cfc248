package org.visionlake.nativecpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.visionlake.testing.TestSpark;

class NativeBackendTest {
    @Test
    void cpuFlags_areReadFromTheFlagsLineOnly() {
        List<String> cpuInfo = List.of("model name\t: Some CPU", "flags\t\t: fpu sse2 avx2 avx512f", "bugs\t: none");

        assertThat(NativeBackend.parseFlags(cpuInfo))
                .contains("avx2", "avx512f")
                .doesNotContain("none");
        assertThat(NativeBackend.parseFlags(List.of())).isEmpty();
    }

    @Test
    void threadsPerCore_countsSmtSiblings() {
        assertThat(NativeBackend.threadsPerCore(List.of("siblings\t: 8", "cpu cores\t: 4")))
                .isEqualTo(2);
        assertThat(NativeBackend.threadsPerCore(List.of("siblings\t: 2", "cpu cores\t: 2")))
                .isEqualTo(1);
        assertThat(NativeBackend.threadsPerCore(List.of())).isEqualTo(1);
    }

    @Test
    void configure_loadsTheBuildMatchingThisCpu() {
        NativeBackend.Choice choice = NativeBackend.configure();

        String expected = NativeBackend.cpuFlags().contains("avx512f")
                ? "-onednn-avx512"
                : NativeBackend.cpuFlags().contains("avx2") ? "-onednn-avx2" : "";
        if (System.getenv(NativeBackend.OVERRIDE_ENV) == null) {
            assertThat(choice.extension()).isEqualTo(expected);
        }
        assertThat(choice.loadedFrom()).contains(NativeBackend.platform() + choice.extension() + "/");
        assertThat(choice.threads()).isBetween(1, Runtime.getRuntime().availableProcessors());
    }

    @Test
    void sparkExecutor_configuresTheBackendThroughThePluginBeforeTasks() {
        JavaSparkContext sc =
                JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());

        List<String> seen = sc.parallelize(List.of(1, 2), 2)
                .map(i -> NativeBackendPlugin.executorConfigured() + " "
                        + NativeBackend.current().loadedFrom())
                .collect();

        String library = NativeBackend.platform() + NativeBackend.selectBuild() + "/";
        assertThat(seen)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("true ").contains(library));
    }
}
