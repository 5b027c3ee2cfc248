package org.visionlake.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Lays small images (dataset samples, filters, activation maps) out in a captioned grid and encodes it as PNG.
 * Tiles are scaled up with nearest-neighbour sampling so that 32x32 pixels stay visible as pixels.
 */
public final class ImageGrid {
    private static final int CAPTION_HEIGHT = 14;
    private static final int GAP = 4;

    private final int columns;
    private final int tileSize;
    private final List<BufferedImage> tiles = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();

    public ImageGrid(int columns, int tileSize) {
        this.columns = columns;
        this.tileSize = tileSize;
    }

    /** Adds an image stored as height x width x channels unsigned bytes (1 or 3 channels). */
    public ImageGrid addHwc(byte[] pixels, int height, int width, int channels, String caption) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = (y * width + x) * channels;
                int r = pixels[base] & 0xff;
                int g = channels == 3 ? pixels[base + 1] & 0xff : r;
                int b = channels == 3 ? pixels[base + 2] & 0xff : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return add(image, caption);
    }

    /**
     * Adds a float map (a filter or an activation channel) as grey, or as RGB when three planes are given,
     * stretched to the map's own minimum and maximum so that its structure shows whatever its scale.
     */
    public ImageGrid addPlanes(float[][] planes, int height, int width, String caption) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float[] plane : planes) {
            for (float v : plane) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float span = max > min ? max - min : 1f;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < height * width; i++) {
            int r = Math.round(255 * (planes[0][i] - min) / span);
            int g = planes.length == 3 ? Math.round(255 * (planes[1][i] - min) / span) : r;
            int b = planes.length == 3 ? Math.round(255 * (planes[2][i] - min) / span) : r;
            image.setRGB(i % width, i / width, (r << 16) | (g << 8) | b);
        }
        return add(image, caption);
    }

    public int size() {
        return tiles.size();
    }

    public byte[] toPng() {
        if (tiles.isEmpty()) {
            throw new IllegalStateException("an image grid needs at least one tile");
        }
        int rows = (tiles.size() + columns - 1) / columns;
        int cols = Math.min(columns, tiles.size());
        int cellHeight = tileSize + CAPTION_HEIGHT + GAP;
        BufferedImage grid =
                new BufferedImage(cols * (tileSize + GAP) + GAP, rows * cellHeight + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int i = 0; i < tiles.size(); i++) {
                int x = GAP + (i % columns) * (tileSize + GAP);
                int y = GAP + (i / columns) * cellHeight;
                g.drawImage(tiles.get(i), x, y, tileSize, tileSize, null);
                g.setColor(Color.DARK_GRAY);
                g.drawString(fit(captions.get(i)), x, y + tileSize + CAPTION_HEIGHT - 3);
            }
        } finally {
            g.dispose();
        }
        return png(grid);
    }

    private ImageGrid add(BufferedImage image, String caption) {
        tiles.add(image);
        captions.add(caption == null ? "" : caption);
        return this;
    }

    private String fit(String caption) {
        int maxChars = Math.max(3, tileSize / 6);
        return caption.length() <= maxChars ? caption : caption.substring(0, maxChars - 1) + "…";
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a report image as PNG", e);
        }
    }
}
