package org.diffusionplayground.model.data;

import java.io.IOException;
import java.util.Locale;

/**
 * Refuses, before a byte of it is read, an image set that would not fit in the Java heap, naming
 * the file, what it needs and the {@code -Xmx} that would do. Loading 1.2 million 28×28 images
 * needs 0.94 GB as bytes and 3.8 GB more as the trainer's floats; under a 2 GB heap that used to
 * end, 20 s in, in an {@link OutOfMemoryError} that named nothing.
 */
public final class HeapCheck {

    /** Bytes a pixel costs held as read ({@link MnistDataset}). */
    public static final int TO_SHOW = 1;
    /** Bytes a pixel costs held as read and again as the trainer's floats ({@link TrainingSet#images}). */
    public static final int TO_TRAIN = 1 + Float.BYTES;

    private static final double GB = 1 << 30;

    /** The heap's limit and what is in use now. */
    public record Heap(long max, long used) {

        public static Heap now() {
            Runtime r = Runtime.getRuntime();
            return new Heap(r.maxMemory(), r.totalMemory() - r.freeMemory());
        }

        public long free() { return Math.max(0, max - used); }
    }

    /** A data set the heap cannot hold; the message is one line. */
    public static final class TooLarge extends IOException {

        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private HeapCheck() {
    }

    /**
     * Throws {@link TooLarge} if {@code count} images of rows × cols at {@code bytesPerPixel}
     * ({@link #TO_SHOW} or {@link #TO_TRAIN}) need more than the heap has free.
     */
    public static void require(String file, int count, int rows, int cols, int bytesPerPixel, Heap heap) throws TooLarge {
        long need = (long) count * rows * cols * bytesPerPixel;
        if (need <= heap.free()) return;
        // room for what is in use, the data, and ~1 GB for the network, ND4J and the page
        long suggest = (long) Math.ceil((heap.used() + need) * 1.2 / GB) + 1;
        throw new TooLarge(String.format(Locale.ROOT,
                "%s: %,d images of %d×%d need %s of Java heap %s (%d byte%s a pixel), but only %s of the %s maximum is free:"
                        + " start Java with -Xmx%dg or more, or use a smaller IDX file",
                file, count, rows, cols, size(need), bytesPerPixel == TO_TRAIN ? "to train on" : "to load",
                bytesPerPixel, bytesPerPixel == 1 ? "" : "s", size(heap.free()), size(heap.max()), suggest));
    }

    /** "4.7 GB", "850 MB". */
    static String size(long bytes) {
        return bytes >= GB ? String.format(Locale.ROOT, "%.1f GB", bytes / GB)
                : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1 << 20));
    }
}
