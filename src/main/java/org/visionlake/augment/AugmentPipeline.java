package org.visionlake.augment;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.visionlake.lake.Json;

/**
 * The transforms of an augmentation in the order they apply: crop, flip, rotation, colour jitter. Each copy of each
 * image draws its own parameters from {@link SeededRandom#forDraw}, so the result depends only on (seed, image id,
 * copy index) and the settings.
 */
public record AugmentPipeline(List<ImageTransform> transforms) implements Serializable {
    public AugmentPipeline {
        transforms = List.copyOf(transforms);
    }

    /** CIFAR defaults: pad 4 and crop always, flip half the time, no rotation, no colour jitter. */
    public static AugmentPipeline cifarDefaults() {
        return new AugmentPipeline(List.of(
                new RandomCrop(4, 1.0),
                new HorizontalFlip(0.5),
                new RandomRotation(0, 0.5, 0),
                new ColorJitter(0, 0, 0.5)));
    }

    /** An augmented copy and the steps, with their drawn parameters, that made it. */
    public record Augmented(HwcImage image, List<ImageTransform.Step> steps) {
        /** The steps as compact JSON: {@code [{"op":"crop","padding":4,"top":6,"left":1},{"op":"flip"}]}. */
        public String lineageJson() {
            return AugmentPipeline.lineageJson(steps);
        }
    }

    public Augmented augment(HwcImage image, long seed, String imageId, int copy) {
        HwcImage current = image;
        List<ImageTransform.Step> steps = new ArrayList<>();
        for (ImageTransform transform : transforms) {
            if (!transform.enabled()) {
                continue;
            }
            SeededRandom random = SeededRandom.forDraw(seed, imageId, copy, transform.name());
            var step = transform.draw(random, image.height(), image.width());
            if (step.isPresent()) {
                current = step.get().apply(current);
                steps.add(step.get());
            }
        }
        return new Augmented(current, steps);
    }

    /** Every transform's settings, keyed by name, with an {@code enabled} flag: the manifest's record of them. */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (ImageTransform transform : transforms) {
            Map<String, Object> one = new LinkedHashMap<>(transform.settings());
            one.put("enabled", transform.enabled());
            settings.put(transform.name(), one);
        }
        return settings;
    }

    /**
     * Written with the streaming generator rather than the mapper: one line, keys in the order each step lists them
     * ("op" first), where the project mapper indents and sorts keys.
     */
    static String lineageJson(List<ImageTransform.Step> steps) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(text)) {
            json.writeStartArray();
            for (ImageTransform.Step step : steps) {
                json.writeStartObject();
                json.writeStringField("op", step.op());
                for (Map.Entry<String, Object> parameter : step.parameters().entrySet()) {
                    json.writeFieldName(parameter.getKey());
                    writeScalar(json, parameter.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lineage of steps " + steps, e);
        }
        return text.toString();
    }

    private static void writeScalar(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeString(String.valueOf(value));
        }
    }
}
