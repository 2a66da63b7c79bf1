package org.diffusionplayground.model.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al. 1998; Xiao et al. 2017): a
 * big-endian int32 magic number — 2051 (0x00000803: unsigned bytes, 3 dimensions) for images,
 * 2049 (0x00000801: unsigned bytes, 1 dimension) for labels — then one int32 per dimension, then
 * the bytes. Gzipped files are recognised by their content (1f 8b), whatever their name.
 * Every failure is an {@link IdxFormatException} naming the file and what was wrong.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    /** Sanity bound on one image side: IDX image sets in the wild are 28×28 or 32×32. */
    static final int MAX_SIDE = 4096;

    private IdxReader() {
    }

    public static IdxImages readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads an IDX3 image file from a stream; {@code source} names it in error messages. */
    public static IdxImages readImages(InputStream raw, String source) throws IOException {
        DataInputStream in = new DataInputStream(decompressed(raw, source));
        try {
            checkMagic(in.readInt(), IMAGES_MAGIC, source);
            int count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (count < 0 || rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new IdxFormatException(source, "corrupt header: %d images of %d × %d pixels"
                        .formatted(count, rows, cols));
            }
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(source, "%d images of %d × %d pixels is too large to load"
                        .formatted(count, rows, cols));
            }
            byte[] pixels = readBody(in, (int) size, source, "%d images of %d × %d".formatted(count, rows, cols));
            return new IdxImages(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new IdxFormatException(source, "truncated: the file ends inside its header", e);
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** Reads an IDX1 label file from a stream; {@code source} names it in error messages. */
    public static byte[] readLabels(InputStream raw, String source) throws IOException {
        DataInputStream in = new DataInputStream(decompressed(raw, source));
        try {
            checkMagic(in.readInt(), LABELS_MAGIC, source);
            int count = in.readInt();
            if (count < 0) throw new IdxFormatException(source, "corrupt header: %d labels".formatted(count));
            return readBody(in, count, source, "%d labels".formatted(count));
        } catch (EOFException e) {
            throw new IdxFormatException(source, "truncated: the file ends inside its header", e);
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(file.toString(), "no such file", e);
        }
    }

    /** Unzips if the stream starts with the gzip signature 1f 8b. */
    private static InputStream decompressed(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (EOFException e) {
                throw new IdxFormatException(source, "truncated gzip header", e);
            }
        }
        return in;
    }

    private static IdxFormatException truncated(String source, String header, int size, int read,
                                                Throwable cause) {
        return new IdxFormatException(source, "truncated: the header promises %s (%d bytes) but the data ends after %d bytes"
                .formatted(header, size, read), cause);
    }

    private static void checkMagic(int magic, int expected, String source) throws IdxFormatException {
        if (magic == expected) return;
        String what = switch (magic) {
            case IMAGES_MAGIC -> " (an IDX image file)";
            case LABELS_MAGIC -> " (an IDX label file)";
            default -> "";
        };
        throw new IdxFormatException(source, "wrong magic number %d%s, expected %d (%s)".formatted(
                magic, what, expected, expected == IMAGES_MAGIC ? "IDX3 images" : "IDX1 labels"));
    }

    /** Reads exactly {@code size} bytes and checks that nothing follows them. */
    private static byte[] readBody(DataInputStream in, int size, String source, String header)
            throws IOException {
        byte[] body = new byte[size];
        int read = 0;
        try {
            while (read < size) {
                int n = in.read(body, read, size - read);
                if (n < 0) break;
                read += n;
            }
        } catch (EOFException e) { // GZIPInputStream: "Unexpected end of ZLIB input stream"
            throw truncated(source, header, size, read, e);
        }
        if (read < size) throw truncated(source, header, size, read, null);
        long extra = 0;
        byte[] scratch = new byte[8192];
        for (int n; (n = in.read(scratch)) > 0; ) extra += n;
        if (extra > 0) {
            throw new IdxFormatException(source, "%d unexpected bytes after the %s the header declares"
                    .formatted(extra, header));
        }
        return body;
    }
}
