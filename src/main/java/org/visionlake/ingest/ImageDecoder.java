package org.visionlake.ingest;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.EOFException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns encoded image bytes into the dataset's pixel layout (HWC, RGB or grey, fixed size). One instance per task:
 * it keeps one {@link ImageReader} per format and reuses it for every image, which is what makes small images cheap.
 * Not thread-safe.
 *
 * <p>Memory stays bounded for big photos: the declared size is checked against the pixel budget before any pixel is
 * decoded, and the reader subsamples rows and columns towards the target size while decoding, so a 12-megapixel
 * JPEG bound for 64x64 never exists at full size in memory.
 */
final class ImageDecoder {
    enum Format {
        JPEG("jpeg"),
        PNG("png"),
        GIF("gif"),
        BMP("bmp");

        final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }
    }

    private final Preprocessing settings;
    private final Map<Format, ImageReader> readers = new EnumMap<>(Format.class);
    private ImageReader fullJpegReader;
    private final WarningCollector warnings = new WarningCollector();

    ImageDecoder(Preprocessing settings) {
        this.settings = settings;
    }

    /** Decodes one file's bytes; a {@link Rejected} says why the file cannot be used. */
    byte[] decode(byte[] bytes) throws Rejected {
        if (bytes.length == 0) {
            throw new Rejected(QuarantineReason.EMPTY_FILE, "the file has 0 bytes");
        }
        Format format = sniff(bytes);
        ImageReader reader =
                format == Format.JPEG && JpegHeader.needsFullReader(bytes) ? fullJpegReader() : reader(format);
        try {
            return decodeWith(reader, format, bytes);
        } catch (Rejected e) {
            if (format != Format.JPEG || reader == fullJpegReader || e.reason() != QuarantineReason.UNDECODABLE) {
                throw e;
            }
            // The JDK's reader refuses some valid JPEGs (odd colour spaces, ICC quirks) that the full reader takes.
            return decodeWith(fullJpegReader(), format, bytes);
        }
    }

    private byte[] decodeWith(ImageReader reader, Format format, byte[] bytes) throws Rejected {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, true);
            warnings.clear();
            BufferedImage image = read(reader, format, bytes);
            if (warnings.truncated()) {
                throw new Rejected(QuarantineReason.TRUNCATED, format + ": " + warnings.first());
            }
            return render(image);
        } catch (Rejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw classify(format, e);
        } finally {
            reader.setInput(null);
        }
    }

    /** {height, width} as displayed (EXIF orientation applied) from the header alone; null if not an image. */
    int[] probe(byte[] bytes) {
        try {
            Format format = sniff(bytes);
            ImageReader reader = reader(format);
            try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                boolean swap = format == Format.JPEG && ExifOrientation.swapsAxes(ExifOrientation.read(bytes));
                return swap ? new int[] {w, h} : new int[] {h, w};
            } finally {
                reader.setInput(null);
            }
        } catch (Rejected | IOException | RuntimeException e) {
            return null;
        }
    }

    private BufferedImage read(ImageReader reader, Format format, byte[] bytes) throws IOException, Rejected {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > settings.maxPixels()) {
            throw new Rejected(
                    QuarantineReason.TOO_MANY_PIXELS,
                    String.format(
                            "declared size %dx%d = %d pixels is over the budget of %d (--max-pixels)",
                            width, height, (long) width * height, settings.maxPixels()));
        }

        int orientation = format == Format.JPEG ? ExifOrientation.read(bytes) : ExifOrientation.NORMAL;
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int[] factors = subsampling(swap ? height : width, swap ? width : height);
        ImageReadParam param = reader.getDefaultReadParam();
        // Factors were computed in display axes; the reader works in stored axes.
        param.setSourceSubsampling(swap ? factors[1] : factors[0], swap ? factors[0] : factors[1], 0, 0);

        BufferedImage image = reader.read(0, param);
        return orientation == ExifOrientation.NORMAL ? image : Orientation.apply(image, orientation);
    }

    /**
     * Integer subsampling per axis that keeps the decoded image at least twice the size it will be scaled to, so
     * the final bilinear step still has enough pixels to average.
     */
    private int[] subsampling(int displayWidth, int displayHeight) {
        double sx = (double) settings.width() / displayWidth;
        double sy = (double) settings.height() / displayHeight;
        switch (settings.resize()) {
            case CROP:
                sx = sy = Math.max(sx, sy);
                break;
            case PAD:
                sx = sy = Math.min(sx, sy);
                break;
            default:
                break;
        }
        return new int[] {Math.max(1, (int) Math.floor(1 / (2 * sx))), Math.max(1, (int) Math.floor(1 / (2 * sy)))};
    }

    /** Any decoded image, whatever its type, to the target shape and channels. */
    byte[] render(BufferedImage image) {
        byte[] fast = fastPath(image);
        if (fast != null) {
            return fast;
        }
        BufferedImage canvas = new BufferedImage(settings.width(), settings.height(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new Color(settings.background()));
            g.fillRect(0, 0, settings.width(), settings.height());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            int[] box = placement(image.getWidth(), image.getHeight());
            // Source-over compositing onto the opaque background is what flattens alpha and palette transparency.
            g.drawImage(image, box[0], box[1], box[2], box[3], null);
        } finally {
            g.dispose();
        }
        return fromBgr(((DataBufferByte) canvas.getRaster().getDataBuffer()).getData());
    }

    /** x, y, width, height of the scaled image on the canvas. */
    private int[] placement(int w, int h) {
        int tw = settings.width();
        int th = settings.height();
        if (settings.resize() == ResizePolicy.SQUASH) {
            return new int[] {0, 0, tw, th};
        }
        double scale = settings.resize() == ResizePolicy.CROP
                ? Math.max((double) tw / w, (double) th / h)
                : Math.min((double) tw / w, (double) th / h);
        int dw = Math.max(1, (int) Math.round(w * scale));
        int dh = Math.max(1, (int) Math.round(h * scale));
        return new int[] {(tw - dw) / 2, (th - dh) / 2, dw, dh};
    }

    /** Copies without Java2D when the decoder already produced the target size in a plain byte layout. */
    private byte[] fastPath(BufferedImage image) {
        if (image.getWidth() != settings.width() || image.getHeight() != settings.height()) {
            return null;
        }
        int type = image.getType();
        if (type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_BYTE_GRAY) {
            return null;
        }
        if (image.getRaster().getDataBuffer().getNumBanks() != 1
                || image.getRaster().getSampleModelTranslateX() != 0
                || image.getRaster().getSampleModelTranslateY() != 0) {
            return null;
        }
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int pixels = settings.width() * settings.height();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            if (data.length != pixels) {
                return null;
            }
            return settings.channels() == 1 ? data.clone() : greyToRgb(data);
        }
        return data.length == pixels * 3 ? fromBgr(data) : null;
    }

    private byte[] fromBgr(byte[] bgr) {
        int pixels = bgr.length / 3;
        byte[] out = new byte[pixels * settings.channels()];
        if (settings.channels() == 3) {
            for (int i = 0, j = 0; i < pixels; i++, j += 3) {
                out[j] = bgr[j + 2];
                out[j + 1] = bgr[j + 1];
                out[j + 2] = bgr[j];
            }
        } else {
            for (int i = 0, j = 0; i < pixels; i++, j += 3) {
                out[i] = luma(bgr[j + 2] & 0xFF, bgr[j + 1] & 0xFF, bgr[j] & 0xFF);
            }
        }
        return out;
    }

    private static byte[] greyToRgb(byte[] grey) {
        byte[] out = new byte[grey.length * 3];
        for (int i = 0; i < grey.length; i++) {
            out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = grey[i];
        }
        return out;
    }

    /** ITU-R BT.601 luma in fixed point, rounded. */
    static byte luma(int r, int g, int b) {
        return (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
    }

    /** Grey records (IDX) of {@code height x width} bytes to the target shape. */
    byte[] fromGrey(byte[] grey, int height, int width) {
        if (height == settings.height() && width == settings.width()) {
            return settings.channels() == 1 ? grey : greyToRgb(grey);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(grey, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, grey.length);
        return render(image);
    }

    /** Planar RGB records (CIFAR-10 binary: all R, then all G, then all B) to the target shape. */
    byte[] fromPlanarRgb(byte[] planes, int offset, int height, int width) {
        int n = height * width;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            bgr[3 * i] = planes[offset + 2 * n + i];
            bgr[3 * i + 1] = planes[offset + n + i];
            bgr[3 * i + 2] = planes[offset + i];
        }
        return render(image);
    }

    /**
     * The plain reader per format. For JPEG that is the JDK's own reader, about five times faster on small images
     * than TwelveMonkeys' (which wraps it and parses every segment first); TwelveMonkeys' reader is kept for what
     * the JDK reader cannot do (CMYK and YCCK, see {@link JpegHeader}).
     */
    private ImageReader reader(Format format) {
        return readers.computeIfAbsent(format, f -> {
            ImageReader chosen = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(f.imageIoName); it.hasNext(); ) {
                ImageReader candidate = it.next();
                if (chosen == null
                        || (f == Format.JPEG && candidate.getClass().getName().startsWith("com.sun."))) {
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("no ImageIO reader for " + f + " on the class path");
            }
            chosen.addIIOReadWarningListener(warnings);
            return chosen;
        });
    }

    /** The highest-priority JPEG reader: TwelveMonkeys' (CMYK, YCCK, ICC profiles). */
    private ImageReader fullJpegReader() {
        if (fullJpegReader == null) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
            fullJpegReader = it.next();
            fullJpegReader.addIIOReadWarningListener(warnings);
        }
        return fullJpegReader;
    }

    private static Format sniff(byte[] b) throws Rejected {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return Format.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return Format.PNG;
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return Format.GIF;
        }
        if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
            return Format.BMP;
        }
        throw new Rejected(
                QuarantineReason.NOT_AN_IMAGE,
                "no JPEG, PNG, GIF or BMP signature; the file starts with " + hexPrefix(b));
    }

    private static String hexPrefix(byte[] b) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            hex.append(String.format("%02x", b[i] & 0xFF));
        }
        return hex.toString();
    }

    private static Rejected classify(Format format, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException
                    || (t.getMessage() != null && t.getMessage().toLowerCase().contains("premature"))) {
                return new Rejected(QuarantineReason.TRUNCATED, format + ": " + describe(e));
            }
        }
        return new Rejected(QuarantineReason.UNDECODABLE, format + ": " + describe(e));
    }

    private static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return e.getCause() == null || e.getCause() == e
                ? message
                : message + " (caused by " + describe(e.getCause()) + ")";
    }

    /** Readers report a file that ends early as a warning and fill the rest with grey; that must not pass. */
    private static final class WarningCollector implements IIOReadWarningListener {
        private String first;
        private boolean truncated;

        void clear() {
            first = null;
            truncated = false;
        }

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (first == null) {
                first = warning;
            }
            String lower = warning.toLowerCase();
            truncated |= lower.contains("premature") || lower.contains("truncat") || lower.contains("corrupt");
        }

        boolean truncated() {
            return truncated;
        }

        String first() {
            return first;
        }
    }
}
