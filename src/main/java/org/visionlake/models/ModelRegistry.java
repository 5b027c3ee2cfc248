package org.visionlake.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;
import org.visionlake.lake.Sha256;

/**
 * The lake's model registry: {@code models/<name>/model.zip} (ModelSerializer, with updater state so training can
 * go on) and {@code _model.json} ({@link ModelCard}). Both are written into a staging folder and published with one
 * rename, so a reader sees a whole model or none.
 */
public final class ModelRegistry {
    public static final int FORMAT_VERSION = 1;
    public static final String CARD = "_model.json";
    public static final String ZIP = "model.zip";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final Lake lake;

    public ModelRegistry(Lake lake) {
        this.lake = lake;
    }

    /** A registered model: its card and its network. */
    public record Registered(ModelCard card, ComputationGraph graph) {}

    /** Registers {@code graph} as {@code card.name()}, replacing an older version; returns the card written. */
    public ModelCard register(ComputationGraph graph, ModelCard card) {
        Path target = lake.modelPath(card.name());
        Path staging = lake.newStagingPath("model-" + card.name());
        try {
            String fingerprint = writeZip(graph, new Path(staging, ZIP));
            ModelCard written = card.withFingerprint(fingerprint);
            lake.writeText(new Path(staging, CARD), Json.write(written));
            lake.publish(staging, target);
            LOG.info(
                    "registered model={} architecture={} params={} fingerprint={} path={}",
                    card.name(),
                    card.architecture(),
                    card.parameters(),
                    fingerprint,
                    target);
            return written;
        } finally {
            lake.deleteQuietly(staging);
        }
    }

    public List<String> names() {
        return lake.listComplete("models", CARD);
    }

    public ModelCard card(String name) {
        Path card = new Path(lake.modelPath(name), CARD);
        if (!lake.exists(card)) {
            throw new VisionLakeException(String.format(
                    "model '%s' not found in lake %s (no complete model folder with %s); models there: %s."
                            + " Pretrain one with 'visionlake pretrain --name %s ...'",
                    name, lake, CARD, names().isEmpty() ? "none" : String.join(", ", names()), name));
        }
        ModelCard parsed = Json.read(lake.readText(card), ModelCard.class);
        if (parsed.formatVersion() > FORMAT_VERSION) {
            throw new VisionLakeException(String.format(
                    "model '%s' has format version %d but this VisionLake reads up to %d; upgrade VisionLake",
                    name, parsed.formatVersion(), FORMAT_VERSION));
        }
        return parsed;
    }

    public Registered load(String name) {
        ModelCard card = card(name);
        Path zip = new Path(lake.modelPath(name), ZIP);
        try (InputStream in = lake.fs().open(zip)) {
            return new Registered(card, ModelSerializer.restoreComputationGraph(in, true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model zip " + zip, e);
        }
    }

    /** The most recently created complete model, if any. */
    public Optional<ModelCard> latest() {
        List<ModelCard> cards = new ArrayList<>();
        for (String name : names()) {
            cards.add(card(name));
        }
        return cards.stream().max(Comparator.comparing(ModelCard::createdAt));
    }

    private String writeZip(ComputationGraph graph, Path zip) {
        try (OutputStream out = lake.fs().create(zip, false)) {
            ModelSerializer.writeModel(graph, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model zip " + zip, e);
        }
        return fingerprint(graph);
    }

    /**
     * SHA-256 (first 16 hex digits) of the configuration and the weights. Not of the zip: its entries carry
     * timestamps, so the same weights saved twice would look like a new model and orphan every cache built on it.
     */
    public static String fingerprint(ComputationGraph graph) {
        MessageDigest sha = Sha256.digest();
        // Training counters live in the configuration; they are not part of what the model computes.
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf =
                graph.getConfiguration().clone();
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        sha.update(conf.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(Float.BYTES * 4096);
        for (float value : graph.params().toFloatVector()) {
            if (!buffer.hasRemaining()) {
                sha.update(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            buffer.putFloat(value);
        }
        sha.update(buffer.array(), 0, buffer.position());
        return Sha256.hex(sha).substring(0, 16);
    }
}
