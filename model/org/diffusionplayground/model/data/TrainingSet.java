package org.diffusionplayground.model.data;

import java.util.Arrays;

/**
 * Labelled training examples of one fixed shape — 28×28 grey images scaled to [−1, 1] (DDPM's
 * data range, Ho et al. 2020, §3.3), or 2-D points — held as one float array, so building a
 * batch is a few array copies. What an objective draws its batches from.
 */
public final class TrainingSet {

    private final float[] values; // [n · exampleLength], row-major
    private final long[] exampleShape;
    private final int exampleLength;
    private final int[] labels;
    private final int numClasses;

    /**
     * @param exampleShape the shape of one example, e.g. [1, 28, 28] or [2]
     * @param labels       one label per example, in [0, numClasses); all 0 for unlabelled data
     */
    public TrainingSet(float[] values, long[] exampleShape, int[] labels, int numClasses) {
        if (labels.length == 0) throw new IllegalArgumentException("no examples");
        long length = 1;
        for (long d : exampleShape) {
            if (d < 1) throw new IllegalArgumentException("example shape %s has an empty axis".formatted(Arrays.toString(exampleShape)));
            length *= d;
        }
        if (values.length != labels.length * length) throw new IllegalArgumentException(
                "%d values do not make %d examples of shape %s".formatted(values.length, labels.length,
                        Arrays.toString(exampleShape)));
        if (numClasses < 1) throw new IllegalArgumentException("numClasses (%d) must be ≥ 1".formatted(numClasses));
        for (int label : labels) {
            if (label < 0 || label >= numClasses) throw new IllegalArgumentException(
                    "label %d outside [0, %d)".formatted(label, numClasses));
        }
        this.values = values;
        this.exampleShape = exampleShape.clone();
        this.exampleLength = (int) length;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /** 28×28 images in [−1, 1] with their labels. */
    public static TrainingSet images(float[] pixels, int[] labels, int numClasses) {
        return new TrainingSet(pixels, new long[] {1, 28, 28}, labels, numClasses);
    }

    /** All images of an MNIST-style dataset (the bundled subset, MNIST or Fashion-MNIST). */
    public static TrainingSet images(MnistDataset dataset) {
        if (dataset.rows() != 28 || dataset.cols() != 28) throw new IllegalArgumentException(
                "%s has %d×%d images, the image models need 28×28".formatted(dataset.name(), dataset.rows(), dataset.cols()));
        int n = dataset.size(), px = 28 * 28;
        float[] pixels = new float[n * px];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            dataset.image(i, pixels, i * px);
            labels[i] = dataset.label(i);
        }
        return images(pixels, labels, dataset.classNames().size());
    }

    /** Unlabelled points [n, dim], one row each (a single class 0). */
    public static TrainingSet points(float[][] rows) {
        int dim = rows[0].length;
        float[] values = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dim) throw new IllegalArgumentException("point %d has %d coordinates, not %d"
                    .formatted(i, rows[i].length, dim));
            System.arraycopy(rows[i], 0, values, i * dim, dim);
        }
        return new TrainingSet(values, new long[] {dim}, new int[rows.length], 1);
    }

    /** The first {@code n} examples (all of them if there are fewer). */
    public TrainingSet first(int n) {
        int m = Math.min(n, size());
        return new TrainingSet(Arrays.copyOf(values, m * exampleLength), exampleShape, Arrays.copyOf(labels, m), numClasses);
    }

    public int size() { return labels.length; }

    public int numClasses() { return numClasses; }

    public int label(int i) { return labels[i]; }

    /** The shape of one example (a copy). */
    public long[] exampleShape() { return exampleShape.clone(); }

    /** The number of values of one example. */
    public int exampleLength() { return exampleLength; }

    /** Copies example i into {@code dst} at {@code offset}. */
    public void copyExample(int i, float[] dst, int offset) {
        System.arraycopy(values, i * exampleLength, dst, offset, exampleLength);
    }
}
