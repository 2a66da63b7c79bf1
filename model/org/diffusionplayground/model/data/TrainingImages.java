package org.diffusionplayground.model.data;


/**
 * Labelled 28×28 grey images scaled to [−1, 1] (DDPM's data range, Ho et al. 2020, §3.3), held
 * as one float array so building a batch is a few array copies.
 */
public final class TrainingImages {

    public static final int PIXELS = 28 * 28;

    private final float[] pixels; // [n·784], row-major, in [−1, 1]
    private final int[] labels;
    private final int numClasses;

    public TrainingImages(float[] pixels, int[] labels, int numClasses) {
        if (labels.length == 0) throw new IllegalArgumentException("no images");
        if (pixels.length != (long) labels.length * PIXELS) throw new IllegalArgumentException(
                "%d pixels do not make %d images of 28×28".formatted(pixels.length, labels.length));
        for (int label : labels) {
            if (label < 0 || label >= numClasses) throw new IllegalArgumentException(
                    "label %d outside [0, %d)".formatted(label, numClasses));
        }
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /** All images of an MNIST-style dataset (the bundled subset, MNIST or Fashion-MNIST). */
    public static TrainingImages of(MnistDataset dataset) {
        if (dataset.rows() != 28 || dataset.cols() != 28) throw new IllegalArgumentException(
                "%s has %d×%d images, the U-Net needs 28×28".formatted(dataset.name(), dataset.rows(), dataset.cols()));
        int n = dataset.size();
        float[] pixels = new float[n * PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            dataset.image(i, pixels, i * PIXELS);
            labels[i] = dataset.label(i);
        }
        return new TrainingImages(pixels, labels, dataset.classNames().size());
    }

    public int size() { return labels.length; }

    public int numClasses() { return numClasses; }

    public int label(int i) { return labels[i]; }

    /** Copies image i (784 values in [−1, 1]) into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        System.arraycopy(pixels, i * PIXELS, dst, offset, PIXELS);
    }
}
