package org.diffusionplayground.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An MNIST-style labelled image set: the bundled 9,000-digit subset, or full MNIST /
 * Fashion-MNIST read from a folder of IDX files (see {@link DatasetFolder} for the file names).
 * Pixels are kept as the file's bytes; {@link #image} gives them scaled to [−1, 1], the data
 * range of DDPM (Ho et al. 2020, §3.3).
 */
public final class MnistDataset {

    /** Classpath location of the shipped subset (see assets/README.md for its provenance). */
    public static final String BUNDLED_IMAGES = "/assets/data/mnist-9k-images-idx3-ubyte.gz";
    public static final String BUNDLED_LABELS = "/assets/data/mnist-9k-labels-idx1-ubyte.gz";

    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST's classes in label order (Xiao, Rasul & Vollgraf 2017, Table 1). */
    public static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final String name;
    private final List<String> classNames;
    private final IdxImages images;
    private final byte[] labels;

    /** Checks that images and labels agree and that every label names a class. */
    public MnistDataset(String name, List<String> classNames, IdxImages images, byte[] labels,
                        String imagesSource, String labelsSource) throws IdxFormatException {
        this.name = Objects.requireNonNull(name, "name");
        this.classNames = List.copyOf(classNames);
        this.images = images;
        this.labels = labels;
        if (images.count() != labels.length) {
            throw new IdxFormatException(labelsSource, "has %d labels but %s has %d images"
                    .formatted(labels.length, imagesSource, images.count()));
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= classNames.size()) {
                throw new IdxFormatException(labelsSource, "label %d of item %d is outside 0…%d"
                        .formatted(label, i, classNames.size() - 1));
            }
        }
    }

    /** The 9,000-digit MNIST subset shipped in the jar. */
    public static MnistDataset bundled() throws IOException {
        IdxImages images;
        byte[] labels;
        try (InputStream in = resource(BUNDLED_IMAGES)) {
            images = IdxReader.readImages(in, BUNDLED_IMAGES);
        }
        try (InputStream in = resource(BUNDLED_LABELS)) {
            labels = IdxReader.readLabels(in, BUNDLED_LABELS);
        }
        return new MnistDataset("MNIST subset", DIGITS, images, labels, BUNDLED_IMAGES, BUNDLED_LABELS);
    }

    /**
     * The training split in {@code folder} (the test split if only that is there). A folder whose
     * path mentions "fashion" gets Fashion-MNIST's class names, any other MNIST's digits.
     */
    public static MnistDataset fromFolder(Path folder) throws IOException {
        return fromFolder(folder, 0, IdxReader.Reading.NONE);
    }

    /**
     * As {@link #fromFolder(Path)}, refusing from the image file's header, before reading it, a set
     * whose {@code heapBytesPerPixel} ({@link HeapCheck#TO_SHOW} to look at it, {@link HeapCheck#TO_TRAIN}
     * to train on it) would not fit in the heap ({@link HeapCheck.TooLarge}, naming the file and the
     * {@code -Xmx} needed); reports the fraction read and stops when {@code reading} says so.
     */
    public static MnistDataset fromFolder(Path folder, int heapBytesPerPixel, IdxReader.Reading reading) throws IOException {
        DatasetFolder.Split split = DatasetFolder.find(folder);
        IdxImages images = IdxReader.readImages(split.images(), heapBytesPerPixel, reading);
        byte[] labels = IdxReader.readLabels(split.labels());
        boolean fashion = folder.toAbsolutePath().toString().toLowerCase(Locale.ROOT).contains("fashion");
        String name = (fashion ? "Fashion-MNIST" : "MNIST") + " " + split.name();
        return new MnistDataset(name, fashion ? FASHION : DIGITS, images, labels,
                split.images().toString(), split.labels().toString());
    }

    /**
     * The split in {@code folder} to train on: refused before reading if its pixels and the
     * trainer's floats of them ({@link HeapCheck#TO_TRAIN}) would not fit in the heap.
     */
    public static MnistDataset toTrainOn(Path folder) throws IOException {
        return fromFolder(folder, HeapCheck.TO_TRAIN, IdxReader.Reading.NONE);
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = MnistDataset.class.getResourceAsStream(path);
        if (in == null) throw new IdxFormatException(path, "missing from the class path (is assets/ packaged?)");
        return in;
    }

    public String name() { return name; }

    public int size() { return labels.length; }

    public int rows() { return images.rows(); }

    public int cols() { return images.cols(); }

    public int pixelsPerImage() { return images.rows() * images.cols(); }

    public List<String> classNames() { return classNames; }

    public int label(int i) { return labels[checkIndex(i)] & 0xFF; }

    /** Image i scaled to [−1, 1] (x = 2·byte/255 − 1), written into {@code dst} at {@code offset}. */
    public void image(int i, float[] dst, int offset) {
        int n = pixelsPerImage(), base = checkIndex(i) * n;
        byte[] px = images.pixels();
        for (int k = 0; k < n; k++) dst[offset + k] = (px[base + k] & 0xFF) * (2f / 255f) - 1f;
    }

    /** Image i scaled to [−1, 1], row-major. */
    public float[] image(int i) {
        float[] x = new float[pixelsPerImage()];
        image(i, x, 0);
        return x;
    }

    /** Indices of every item of class {@code label}, in file order. */
    public int[] indicesOf(int label) {
        if (label < 0 || label >= classNames.size()) {
            throw new IllegalArgumentException("class %d outside 0…%d".formatted(label, classNames.size() - 1));
        }
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) if ((labels[i] & 0xFF) == label) found.add(i);
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("item %d outside 0…%d of %s".formatted(i, labels.length - 1, name));
        }
        return i;
    }

    @Override public String toString() {
        return "%s (%,d images, %d×%d)".formatted(name, size(), rows(), cols());
    }

}
