package org.diffusionplayground.model.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
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

    /** How a long read reports: the fraction of the pixels read so far, and whether to stop. */
    public record Reading(DoubleConsumer progress, BooleanSupplier cancelled) {

        /** Nothing reported, never cancelled. */
        public static final Reading NONE = new Reading(f -> { }, () -> false);

        void check() {
            if (cancelled.getAsBoolean()) throw new CancellationException("loading cancelled");
        }
    }

    public static IdxImages readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    /**
     * Reads an IDX3 image file, first checking from its header that {@code heapBytesPerPixel}
     * bytes a pixel fit in the heap ({@link HeapCheck}; 0 skips the check), reporting progress and
     * stopping with a {@link CancellationException} when {@code reading} says so.
     */
    public static IdxImages readImages(Path file, int heapBytesPerPixel, Reading reading) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString(), heapBytesPerPixel, HeapCheck.Heap.now(), reading);
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads an IDX3 image file from a stream; {@code source} names it in error messages. */
    public static IdxImages readImages(InputStream raw, String source) throws IOException {
        return readImages(raw, source, 0, null, Reading.NONE);
    }

    static IdxImages readImages(InputStream raw, String source, int heapBytesPerPixel, HeapCheck.Heap heap,
                                Reading reading) throws IOException {
        boolean gzipped = isGzip(raw = new BufferedInputStream(raw, 1 << 16));
        BufferedInputStream body = decompressed(raw, source);
        DataInputStream in = new DataInputStream(body);
        body.mark(64); // the magic number's bytes, and those after it, are looked at again if it is wrong
        try {
            checkMagic(body, in.readInt(), IMAGES_MAGIC, source, gzipped);
            int count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (count < 0 || rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new IdxFormatException(source, "corrupt header: %d images of %d × %d pixels"
                        .formatted(count, rows, cols));
            }
            if (heapBytesPerPixel > 0) HeapCheck.require(source, count, rows, cols, heapBytesPerPixel, heap);
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(source, "%d images of %d × %d pixels is too large to load"
                        .formatted(count, rows, cols));
            }
            byte[] pixels = readBody(in, (int) size, source, "%d images of %d × %d".formatted(count, rows, cols), reading);
            return new IdxImages(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new IdxFormatException(source, "truncated: the file ends inside its header", e);
        } catch (ZipException e) {
            throw corruptGzip(source, e);
        }
    }

    /** Reads an IDX1 label file from a stream; {@code source} names it in error messages. */
    public static byte[] readLabels(InputStream raw, String source) throws IOException {
        boolean gzipped = isGzip(raw = new BufferedInputStream(raw, 1 << 16));
        BufferedInputStream body = decompressed(raw, source);
        DataInputStream in = new DataInputStream(body);
        body.mark(64); // the magic number's bytes, and those after it, are looked at again if it is wrong
        try {
            checkMagic(body, in.readInt(), LABELS_MAGIC, source, gzipped);
            int count = in.readInt();
            if (count < 0) throw new IdxFormatException(source, "corrupt header: %d labels".formatted(count));
            return readBody(in, count, source, "%d labels".formatted(count), Reading.NONE);
        } catch (EOFException e) {
            throw new IdxFormatException(source, "truncated: the file ends inside its header", e);
        } catch (ZipException e) {
            throw corruptGzip(source, e);
        }
    }

    private static IdxFormatException corruptGzip(String source, ZipException e) {
        return new IdxFormatException(source, "a gzip file that does not decompress (" + e.getMessage()
                + "): damaged, or not gzip after its first two bytes", e);
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(file.toString(), "no such file", e);
        }
    }

    /** Whether a (buffered) stream starts with the gzip signature 1f 8b; reads nothing. */
    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** Unzips if the stream starts with the gzip signature 1f 8b; buffered either way (it is peeked at). */
    private static BufferedInputStream decompressed(InputStream raw, String source) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, 1 << 16);
        if (isGzip(in)) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (EOFException e) {
                throw new IdxFormatException(source, "truncated gzip header", e);
            } catch (ZipException e) {
                throw corruptGzip(source, e);
            }
        }
        return in;
    }

    private static IdxFormatException truncated(String source, String header, int size, int read,
                                                Throwable cause) {
        return new IdxFormatException(source, "truncated: the header promises %s (%d bytes) but the data ends after %d bytes"
                .formatted(header, size, read), cause);
    }

    /**
     * Checks the magic number just read from {@code in} (still marked at its start, so its first
     * bytes can be looked at again): the other IDX kind is named as such, anything else is said
     * to be not an IDX file, with what it looks like ({@link FileKind}).
     */
    private static void checkMagic(BufferedInputStream in, int magic, int expected, String source, boolean gzipped)
            throws IdxFormatException {
        if (magic == expected) return;
        if (magic == IMAGES_MAGIC || magic == LABELS_MAGIC) {
            throw new IdxFormatException(source, "wrong magic number %d (%s), expected %d (%s)".formatted(magic,
                    magic == IMAGES_MAGIC ? "an IDX image file" : "an IDX label file", expected,
                    expected == IMAGES_MAGIC ? "IDX3 images" : "IDX1 labels"));
        }
        String kind = FileKind.describe(magic, peekAgain(in));
        throw new IdxFormatException(source, (gzipped ? "a gzip file whose content is not IDX" : "not an IDX file")
                + ": " + kind + "; expected " + (expected == IMAGES_MAGIC ? "MNIST-style IDX3 images (00 00 08 03)"
                : "MNIST-style IDX1 labels (00 00 08 01)"));
    }

    /** The first 64 bytes of a stream that was marked at its start and has read 4 of them. */
    private static byte[] peekAgain(BufferedInputStream in) {
        try {
            in.reset();
            byte[] head = new byte[64];
            int n = in.readNBytes(head, 0, head.length);
            return java.util.Arrays.copyOf(head, n);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Reads exactly {@code size} bytes (reporting each MB) and checks that nothing follows them. */
    private static byte[] readBody(DataInputStream in, int size, String source, String header, Reading reading)
            throws IOException {
        byte[] body = new byte[size];
        int read = 0;
        try {
            while (read < size) {
                reading.check();
                int n = in.read(body, read, Math.min(1 << 20, size - read));
                if (n < 0) break;
                read += n;
                reading.progress().accept((double) read / size);
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
