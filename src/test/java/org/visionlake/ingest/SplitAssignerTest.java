package org.visionlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.ImageSchema;

class SplitAssignerTest {

    @Test
    void testFraction_carvesTestFromTrainAndLeavesValAsItWas() throws Exception {
        SplitAssigner valOnly = new SplitAssigner(0.1, true);
        SplitAssigner valAndTest = new SplitAssigner(0.1, true, 0.2);
        Map<String, Integer> counts = new HashMap<>();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            String hash = sha256("image-" + i);
            String before = valOnly.assign(null, hash);
            String after = valAndTest.assign(null, hash);
            counts.merge(after, 1, Integer::sum);
            // Val is the bottom of the hash range whatever the test fraction; test only takes former train images.
            assertThat(after.equals(ImageSchema.VAL)).isEqualTo(before.equals(ImageSchema.VAL));
            if (after.equals(ImageSchema.TEST)) {
                assertThat(before).isEqualTo(ImageSchema.TRAIN);
            }
            assertThat(valAndTest.assign(null, hash)).isEqualTo(after);
        }
        assertThat(counts.get(ImageSchema.TEST) / (double) n).isBetween(0.18, 0.22);
        assertThat(counts.get(ImageSchema.VAL) / (double) n).isBetween(0.08, 0.12);
    }

    @Test
    void testFraction_neverOverridesASplitTheSourceNames() throws Exception {
        SplitAssigner splits = new SplitAssigner(0.1, false, 0.5);
        for (int i = 0; i < 200; i++) {
            assertThat(splits.assign(ImageSchema.VAL, sha256("v" + i))).isEqualTo(ImageSchema.VAL);
            assertThat(splits.assign(ImageSchema.TEST, sha256("t" + i))).isEqualTo(ImageSchema.TEST);
            assertThat(splits.assign(ImageSchema.TRAIN, sha256("r" + i))).isNotEqualTo(ImageSchema.VAL);
        }
    }

    @Test
    void settings_refuseFractionsThatLeaveNoTrainImages() {
        assertThatThrownBy(() -> IngestSettings.builder("/data", "pets")
                        .valFraction(0.5)
                        .testFraction(0.5)
                        .build())
                .isInstanceOf(VisionLakeException.class)
                .hasMessageContaining("--test-fraction 0.5")
                .hasMessageContaining("< 1");
        assertThat(IngestSettings.builder("/data", "pets")
                        .testFraction(0.2)
                        .build()
                        .testFraction())
                .isEqualTo(0.2);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
