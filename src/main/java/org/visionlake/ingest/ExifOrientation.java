package org.visionlake.ingest;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG: cameras store the sensor's pixels as shot and record how to
 * turn them; ignoring the tag leaves portrait photos lying on their side. Only the APP1 segments before the first
 * scan are looked at, so the cost is a few header bytes per image.
 */
final class ExifOrientation {
    static final int NORMAL = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {}

    /** The orientation value 1-8; {@link #NORMAL} when there is no (valid) tag. */
    static int read(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return NORMAL; // start of scan or end of image: no more metadata segments
            }
            int length = u16(jpeg, pos + 2, false);
            if (marker == 0xE1 && isExif(jpeg, pos + 4, length)) {
                return fromTiff(jpeg, pos + 10, pos + 2 + length);
            }
            pos += 2 + length;
        }
        return NORMAL;
    }

    private static boolean isExif(byte[] b, int at, int length) {
        return length >= 8
                && at + 6 <= b.length
                && b[at] == 'E'
                && b[at + 1] == 'x'
                && b[at + 2] == 'i'
                && b[at + 3] == 'f'
                && b[at + 4] == 0
                && b[at + 5] == 0;
    }

    /** Walks IFD0 of the TIFF structure at {@code tiff}; all offsets in it are relative to that start. */
    private static int fromTiff(byte[] b, int tiff, int end) {
        end = Math.min(end, b.length);
        if (tiff + 8 > end) {
            return NORMAL;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        long ifd = u32(b, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return NORMAL;
        }
        int entries = u16(b, (int) (tiff + ifd), little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) (tiff + ifd + 2 + 12L * i);
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(b, entry, little) == ORIENTATION_TAG) {
                int value = u16(b, entry + 8, little); // type SHORT, count 1: the value sits in the entry itself
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return little ? (y << 8) | x : (x << 8) | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return (hi << 16) | lo;
    }

    /** Orientations 5-8 turn the image by a quarter: height and width trade places. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }
}
