package org.diffusionplayground.model.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Labelled 28×28 grey images scaled to [−1, 1], as the trainer consumes them. Reads the IDX files
 * of MNIST and Fashion-MNIST (magic 2051 for images, 2049 for labels, big-endian sizes; gzipped or
 * not) with a minimal private reader, so training does not depend on the app's dataset package.
 */
public final class TrainingImages {

    public static final int PIXELS = 28 * 28;

    private final float[] pixels; // [n·784], row-major, in [−1, 1]
    private final int[] labels;
    private final int numClasses;

    public TrainingImages(float[] pixels, int[] labels, int numClasses) {
        if (pixels.length != (long) labels.length * PIXELS) throw new IllegalArgumentException(
                "%d pixels do not make %d images of 28×28".formatted(pixels.length, labels.length));
        if (labels.length == 0) throw new IllegalArgumentException("no images");
        for (int label : labels) {
            if (label < 0 || label >= numClasses) throw new IllegalArgumentException(
                    "label %d outside [0, %d)".formatted(label, numClasses));
        }
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * Reads a dataset folder: MNIST's or Fashion-MNIST's {@code train-images-idx3-ubyte[.gz]} and
     * {@code train-labels-idx1-ubyte[.gz]}, or the bundled {@code mnist-9k-*} pair.
     */
    public static TrainingImages fromFolder(Path dir) throws IOException {
        for (String prefix : new String[] {"train", "mnist-9k"}) {
            for (String ext : new String[] {".gz", ""}) {
                Path images = dir.resolve(prefix + "-images-idx3-ubyte" + ext);
                Path labels = dir.resolve(prefix + "-labels-idx1-ubyte" + ext);
                if (Files.isRegularFile(images) && Files.isRegularFile(labels)) return fromIdx(images, labels);
            }
        }
        throw new IOException("no train-images-idx3-ubyte[.gz] / train-labels-idx1-ubyte[.gz] in " + dir);
    }

    public static TrainingImages fromIdx(Path imagesFile, Path labelsFile) throws IOException {
        try (InputStream images = Files.newInputStream(imagesFile); InputStream labels = Files.newInputStream(labelsFile)) {
            return fromIdx(gunzipIf(images, imagesFile.toString()), imagesFile.toString(),
                    gunzipIf(labels, labelsFile.toString()), labelsFile.toString());
        }
    }

    /** From IDX streams (already un-gzipped); the names appear in error messages. */
    public static TrainingImages fromIdx(InputStream imagesStream, String imagesName, InputStream labelsStream,
                                         String labelsName) throws IOException {
        int[] labels;
        DataInputStream in = new DataInputStream(new BufferedInputStream(labelsStream, 1 << 16));
        int magic = in.readInt();
        if (magic != 2049) throw new IOException("%s: magic %d, expected 2049 (IDX labels)".formatted(labelsName, magic));
        labels = new int[checkedCount(in.readInt(), labelsName)];
        byte[] rawLabels = new byte[labels.length];
        readFully(in, rawLabels, labelsName);
        for (int i = 0; i < rawLabels.length; i++) labels[i] = rawLabels[i] & 0xff;

        in = new DataInputStream(new BufferedInputStream(imagesStream, 1 << 16));
        magic = in.readInt();
        if (magic != 2051) throw new IOException("%s: magic %d, expected 2051 (IDX images)".formatted(imagesName, magic));
        int n = checkedCount(in.readInt(), imagesName), rows = in.readInt(), cols = in.readInt();
        if (rows != 28 || cols != 28) throw new IOException("%s: images are %d×%d, need 28×28".formatted(imagesName, rows, cols));
        if (n != labels.length) throw new IOException("%s has %d images but %s has %d labels"
                .formatted(imagesName, n, labelsName, labels.length));
        byte[] raw = new byte[n * PIXELS];
        readFully(in, raw, imagesName);
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) pixels[i] = (raw[i] & 0xff) / 127.5f - 1f;
        int max = 0;
        for (int label : labels) max = Math.max(max, label);
        return new TrainingImages(pixels, labels, Math.max(10, max + 1));
    }

    /** Wraps a stream in a gunzipper when its name ends in .gz. */
    public static InputStream gunzipIf(InputStream in, String name) throws IOException {
        return name.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static int checkedCount(int n, String file) throws IOException {
        if (n <= 0 || n > 10_000_000) throw new IOException("%s: implausible count %d".formatted(file, n));
        return n;
    }

    private static void readFully(DataInputStream in, byte[] into, String file) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    public int size() { return labels.length; }

    public int numClasses() { return numClasses; }

    public int label(int i) { return labels[i]; }

    /** Copies image i (784 values in [−1, 1]) into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        System.arraycopy(pixels, i * PIXELS, dst, offset, PIXELS);
    }
}
