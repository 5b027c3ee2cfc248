package org.visionlake.ingest;

/** Looks at a JPEG's frame header and Adobe segment, before decoding, to choose the reader that can decode it. */
final class JpegHeader {
    private JpegHeader() {}

    /**
     * True for four-component (CMYK or YCCK) frames and for Adobe-transformed colour, which the JDK's reader
     * refuses or decodes with wrong colours.
     */
    static boolean needsFullReader(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                return false;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if (isFrame(marker) && pos + 9 < jpeg.length) {
                return (jpeg[pos + 9] & 0xFF) == 4;
            }
            if (marker == 0xEE
                    && length >= 12
                    && pos + 15 < jpeg.length
                    && jpeg[pos + 4] == 'A'
                    && jpeg[pos + 5] == 'd'
                    && jpeg[pos + 6] == 'o'
                    && jpeg[pos + 7] == 'b'
                    && jpeg[pos + 8] == 'e') {
                int transform = jpeg[pos + 15] & 0xFF;
                if (transform == 2) {
                    return true; // YCCK
                }
            }
            pos += 2 + length;
        }
        return false;
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
