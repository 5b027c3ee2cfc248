package org.visionlake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;

/** Just enough of POSIX tar (ustar and GNU long names) to stream regular files out of an archive. */
final class TarReader {
    private static final int BLOCK = 512;
    private final InputStream in;

    record Entry(String name, byte[] bytes) {}

    TarReader(InputStream in) {
        this.in = in;
    }

    /** Streams every regular file of a gzip-compressed tar archive to {@code visitor}: its path and its bytes. */
    static void forEachFile(Path gzipArchive, BiConsumer<String, byte[]> visitor) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipArchive), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (Entry e = tar.next(); e != null; e = tar.next()) {
                visitor.accept(e.name(), e.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gzipArchive, e);
        }
    }

    /** The next regular file, or null at the end of the archive. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length < BLOCK || header[0] == 0) {
                return null;
            }
            String octalSize = field(header, 124, 12).trim();
            long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
            byte type = header[156];
            byte[] body = in.readNBytes((int) size);
            in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
            if (type == 'L') {
                longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (type != '0' && type != 0) {
                longName = null;
                continue;
            }
            String prefix = field(header, 345, 155);
            String name = longName != null ? longName : (prefix.isEmpty() ? "" : prefix + "/") + field(header, 0, 100);
            return new Entry(name, body);
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
