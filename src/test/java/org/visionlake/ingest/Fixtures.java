package org.visionlake.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files made by the tests themselves: good ones in every format, and the broken and odd ones real data has. */
final class Fixtures {
    private Fixtures() {}

    static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Left half {@code left}, right half {@code right}: shows which way an image was turned or cropped. */
    static BufferedImage halves(int width, int height, Color left, Color right) {
        BufferedImage image = solid(width, height, left);
        Graphics2D g = image.createGraphics();
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    /** Different content per seed, so that no two fixtures are duplicates by accident. */
    static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    static byte[] gif(BufferedImage image) throws IOException {
        BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = indexed.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return encode(indexed, "gif");
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        bytes[0] = 0x13; // never a JPEG/PNG/GIF/BMP signature by chance
        return bytes;
    }

    /** A four-component JPEG (CMYK as Photoshop writes it, inverted), written from a raster by the JDK's writer. */
    static byte[] cmykJpeg(int width, int height) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {200, 100, 50, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A 16-bit-per-channel RGB PNG filled with one 16-bit colour. */
    static byte[] png16(int width, int height, int r, int g, int b) throws IOException {
        ComponentColorModel model = new ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                new int[] {16, 16, 16},
                false,
                false,
                java.awt.Transparency.OPAQUE,
                DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {r, g, b});
            }
        }
        return encode(new BufferedImage(model, raster, false, null), "png");
    }

    /** A palette PNG whose index 0 is fully transparent and index 1 opaque red; left half transparent. */
    static byte[] paletteAlphaPng(int width, int height) throws IOException {
        IndexColorModel palette = new IndexColorModel(
                8, 2, new byte[] {0, (byte) 255}, new byte[] {0, 0}, new byte[] {0, 0}, new byte[] {0, (byte) 255});
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, x < width / 2 ? 0 : 1);
            }
        }
        return encode(image, "png");
    }

    /** {@code jpeg} with an APP1 Exif segment carrying only the orientation tag, inserted right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26); // big-endian ("MM"), as many cameras write it
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1); // one IFD0 entry
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exif = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int length = 2 + exif.length + tiff.capacity();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exif);
        out.writeBytes(tiff.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR declaring {@code width x height} pixels, followed by no image data at all. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ihdr.putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        out.writeInt(13);
        out.write(ihdr.array());
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    /** An IDX image file and its label file, gzip or not. */
    static void idxPair(Path folder, String prefix, byte[][] images, int rows, int cols, byte[] labels, boolean gzip)
            throws IOException {
        Files.createDirectories(folder);
        String suffix = gzip ? ".gz" : "";
        try (DataOutputStream out = idxStream(folder.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip)) {
            out.writeInt(0x803);
            out.writeInt(images.length);
            out.writeInt(rows);
            out.writeInt(cols);
            for (byte[] image : images) {
                out.write(image);
            }
        }
        try (DataOutputStream out = idxStream(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip)) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    private static DataOutputStream idxStream(Path file, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw);
    }

    /** A grey 28x28 record whose pixels all equal {@code value} except a ramp in the first row. */
    static byte[] greyRecord(int rows, int cols, int value) {
        byte[] record = new byte[rows * cols];
        Arrays.fill(record, (byte) value);
        for (int x = 0; x < cols; x++) {
            record[x] = (byte) (x * 9);
        }
        return record;
    }
}
