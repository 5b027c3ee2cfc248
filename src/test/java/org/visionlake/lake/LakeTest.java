package org.visionlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visionlake.VisionLakeException;

class LakeTest {
    @TempDir
    Path dir;

    @Test
    void datasetPath_refusesNamesThatLeaveTheLake() {
        Lake lake = Lake.open(dir.toString(), new Configuration());

        for (String hostile : new String[] {"../x", "a/b", "..", ".hidden", "", "x/../../y", "a\\b", "名前"}) {
            assertThatThrownBy(() -> lake.datasetPath(hostile))
                    .as("name %s", hostile)
                    .isInstanceOf(VisionLakeException.class)
                    .hasMessageContaining("invalid dataset name");
        }
        assertThat(lake.datasetPath("cifar10-small.v2").toUri().getPath())
                .isEqualTo(dir.resolve("datasets/cifar10-small.v2").toString());
    }

    @Test
    void publish_replacesTheOldVersionWhole() throws Exception {
        Lake lake = Lake.open(dir.toString(), new Configuration());
        org.apache.hadoop.fs.Path target = lake.datasetPath("d");
        org.apache.hadoop.fs.Path first = lake.newStagingPath("ingest");
        lake.writeText(new org.apache.hadoop.fs.Path(first, "old.txt"), "old");
        lake.publish(first, target);

        org.apache.hadoop.fs.Path second = lake.newStagingPath("ingest");
        lake.writeText(new org.apache.hadoop.fs.Path(second, "new.txt"), "new");
        lake.publish(second, target);

        assertThat(Files.list(dir.resolve("datasets/d"))
                        .map(p -> p.getFileName().toString())
                        // Hadoop's local file system adds hidden .crc checksum files beside each file.
                        .filter(name -> !name.startsWith(".")))
                .containsExactly("new.txt");
        assertThat(Files.list(dir.resolve("_staging"))).isEmpty();
    }

    @Test
    void listComplete_ignoresFoldersWithoutManifest() throws Exception {
        Lake lake = Lake.open(dir.toString(), new Configuration());
        Files.createDirectories(dir.resolve("datasets/half"));
        Files.createDirectories(dir.resolve("datasets/whole"));
        Files.writeString(dir.resolve("datasets/whole/" + Lake.MANIFEST), "{}");

        assertThat(lake.listComplete("datasets", Lake.MANIFEST)).containsExactly("whole");
    }
}
