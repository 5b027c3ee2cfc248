package org.visionlake.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.cli.VisionLake;
import org.visionlake.lake.DatasetManifest;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.LakeDatasets;
import org.visionlake.runs.RunRecord;
import org.visionlake.runs.RunState;
import org.visionlake.runs.RunWriter;
import org.visionlake.testing.TestSpark;

/** The main job end to end on the embedded sample, in its quick form: real ingest, real training, real report. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void demo_embeddedSample_ingestsTrainsAndReports() throws Exception {
        TestSpark.session();
        StringWriter out = new StringWriter();
        var cli = VisionLake.commandLine();
        cli.setOut(new PrintWriter(out));

        int status = cli.execute(
                "demo",
                "--quick",
                "--lake",
                dir.resolve("lake").toString(),
                "--out",
                dir.resolve("report").toString(),
                "--json");

        assertThat(status).isEqualTo(0);
        Map<String, Object> summary = Json.read(out.toString(), Map.class);
        Lake lake = Lake.open(dir.resolve("lake").toString(), new Configuration());
        DatasetManifest manifest = new LakeDatasets(lake).manifest("fashion-mnist-sample");
        assertThat(manifest.total()).isEqualTo(2000);
        assertThat(manifest.shape().toString()).isEqualTo("28x28x1");
        assertThat(manifest.counts().get("test")).hasSize(10).allSatisfy((label, n) -> assertThat(n)
                .isEqualTo(40));
        for (String label : manifest.labels()) {
            assertThat(manifest.counts().get("train").get(label)
                            + manifest.counts().get("val").get(label))
                    .as(label)
                    .isEqualTo(160);
        }

        List<String> runs = (List<String>) summary.get("runs");
        assertThat(runs).hasSize(2);
        assertThat(RunWriter.read(lake, runs.get(0)).experiment()).isEqualTo("residual");
        assertThat(RunWriter.read(lake, runs.get(1)).experiment()).isEqualTo("transfer");
        assertThat(new LakeDatasets(lake)
                        .manifest("fashion-mnist-sample-target")
                        .labels())
                .containsExactly("T-shirt/top", "Shirt");
        assertThat(new LakeDatasets(lake)
                        .manifest("fashion-mnist-sample-source")
                        .labels())
                .hasSize(8)
                .doesNotContain("T-shirt/top", "Shirt");
        for (String runId : runs) {
            RunRecord run = RunWriter.read(lake, runId);
            assertThat(run.state()).as(runId).isEqualTo(RunState.COMPLETE);
        }
        Path index = Path.of((String) summary.get("report"));
        assertThat(index).isEqualTo(dir.resolve("report/index.html"));
        String html = Files.readString(index);
        assertThat(html)
                .contains(
                        "Dataset fashion-mnist-sample",
                        "Residual experiment",
                        "Which network won?",
                        "Transfer experiment",
                        "Where did transfer stop paying?",
                        "Ankle boot");
    }
}
