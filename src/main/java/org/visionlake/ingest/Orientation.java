package org.visionlake.ingest;

import java.awt.image.BufferedImage;

/** Turns stored pixels into display orientation for the eight EXIF orientation values. */
final class Orientation {
    private Orientation() {}

    static BufferedImage apply(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[src.length];
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                dst[dy * dw + dx] = src[sourceIndex(orientation, dx, dy, w, h)];
            }
        }
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, dw, dh, dst, 0, dw);
        return out;
    }

    /** The stored pixel shown at display position (dx, dy). */
    private static int sourceIndex(int orientation, int dx, int dy, int w, int h) {
        int sx;
        int sy;
        switch (orientation) {
            case 2 -> { // mirrored left-right
                sx = w - 1 - dx;
                sy = dy;
            }
            case 3 -> { // turned 180 degrees
                sx = w - 1 - dx;
                sy = h - 1 - dy;
            }
            case 4 -> { // mirrored top-bottom
                sx = dx;
                sy = h - 1 - dy;
            }
            case 5 -> { // transposed
                sx = dy;
                sy = dx;
            }
            case 6 -> { // needs a quarter turn clockwise
                sx = dy;
                sy = h - 1 - dx;
            }
            case 7 -> { // transversed
                sx = w - 1 - dy;
                sy = h - 1 - dx;
            }
            case 8 -> { // needs a quarter turn counter-clockwise
                sx = w - 1 - dy;
                sy = dx;
            }
            default -> {
                sx = dx;
                sy = dy;
            }
        }
        return sy * w + sx;
    }
}
