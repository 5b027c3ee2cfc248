package org.visionlake.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportBuilderTest {
    private static final String HOSTILE = "<script>alert('x')</script> & \"cat\"";

    @TempDir
    Path dir;

    @Test
    void write_escapesEveryPieceOfTextFromData() throws Exception {
        ReportBuilder report = new ReportBuilder("Report of " + HOSTILE);
        report.section("data", "Class " + HOSTILE)
                .paragraph("label " + HOSTILE)
                .bullets(List.of("bullet " + HOSTILE))
                .table("counts", List.of("class", "n"), List.of(List.of(HOSTILE, 3L)))
                .svgFigure(
                        "curve",
                        new LineChart(HOSTILE, "x", "y", false)
                                .add(HOSTILE, new double[] {1, 2}, new double[] {1, 2}, false)
                                .toSvg(),
                        "caption " + HOSTILE);

        String html = Files.readString(report.write(dir));

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(html).doesNotContainPattern("(?i)<script|https?://(?!www\\.w3\\.org/2000/svg)");
    }

    @Test
    void write_storesTablesAsCsvAndJsonWithTheSameValues() throws Exception {
        ReportBuilder report = new ReportBuilder("t");
        report.section("s", "S")
                .table(
                        "metrics",
                        List.of("network", "epoch", "val_acc"),
                        List.of(List.of("plain, deep", 1, 0.25), List.of("residual", 1, 0.5)));

        report.write(dir);

        assertThat(Files.readAllLines(dir.resolve("tables/metrics.csv")))
                .containsExactly("network,epoch,val_acc", "\"plain, deep\",1,0.2500", "residual,1,0.5000");
        assertThat(Files.readString(dir.resolve("tables/metrics.json")))
                .contains("\"val_acc\" : 0.25", "\"network\" : \"plain, deep\"");
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("|residual|1|0.5000|");
    }

    @Test
    void lineChart_isValidSvgWithOnePolylinePerSeries() throws Exception {
        String svg = new LineChart("Gradient flow", "layer depth", "mean |gradient|", true)
                .add("plain", new double[] {1, 2, 3}, new double[] {1e-6, 1e-4, 1e-2}, false)
                .add("residual", new double[] {1, 2, 3}, new double[] {1e-3, 1e-3, 1e-2}, true)
                .mark(2, "stage 2")
                .toSvg();

        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        // Log axis: ticks at whole decades from 1e-6 to 1e-2.
        assertThat(svg).contains(">1e-06<", ">1e-04<", ">0.0100<");
    }

    @Test
    void imageGrid_encodesAPngWithOneTilePerImage() throws Exception {
        byte[] red = new byte[4 * 4 * 3];
        for (int i = 0; i < red.length; i += 3) {
            red[i] = (byte) 255;
        }
        byte[] png = new ImageGrid(2, 20)
                .addHwc(red, 4, 4, 3, "red")
                .addHwc(new byte[16], 4, 4, 1, "black")
                .toPng();

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));

        assertThat(image.getWidth()).isEqualTo(2 * (20 + 4) + 4);
        assertThat(image.getRGB(4 + 10, 4 + 10) & 0xffffff).isEqualTo(0xff0000);
        assertThat(image.getRGB(4 + 24 + 10, 4 + 10) & 0xffffff).isEqualTo(0x000000);
    }
}
