package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.diffusionplayground.model.data.DatasetFolder;
import org.diffusionplayground.model.data.HeapCheck;
import org.diffusionplayground.model.data.IdxReader;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.data.TrainingSet;

/**
 * What the Train page trains on: the bundled MNIST subset, MNIST / Fashion-MNIST from a folder of
 * IDX files (the U-Net), or the bundled tiny Shakespeare (the DDiT, a text diffusion model).
 */
public enum DatasetChoice {
    BUNDLED("MNIST subset (bundled, 9k)", "mnist"),
    MNIST_FOLDER("MNIST (IDX folder…)", "mnist-full"),
    FASHION_FOLDER("Fashion-MNIST (IDX folder…)", "fashion"),
    SHAKESPEARE("Tiny Shakespeare (text, bundled)", "shakespeare");

    /** The U-Net presets, smallest first (the text presets are {@link TransformerConfig#PRESETS}). */
    static final List<String> IMAGE_PRESETS = List.of("small", "reference");

    private final String label;
    private final String slug;

    DatasetChoice(String label, String slug) {
        this.label = label;
        this.slug = slug;
    }

    public String label() { return label; }

    /** Short name used in run folder names, e.g. "fashion". */
    public String slug() { return slug; }

    public boolean needsFolder() { return this == MNIST_FOLDER || this == FASHION_FOLDER; }

    /** Whether it is text: a transformer learns it as masked or uniform discrete diffusion. */
    public boolean isText() { return this == SHAKESPEARE; }

    /** The network presets that train on it, smallest first: "small" is one of each kind's. */
    public List<String> presets() { return isText() ? TransformerConfig.PRESETS : IMAGE_PRESETS; }

    /**
     * What a run reads, off the UI thread: the images ({@link #load(Path, int, IdxReader.Reading)}),
     * or the corpus of a text choice.
     */
    TrainData data(Path folder, int limit, IdxReader.Reading reading) throws IOException {
        return isText() ? new TrainData.Text(TextCorpus.shakespeare()) : new TrainData.Images(load(folder, limit, reading));
    }

    /** The choice a stored slug names (see {@link RunFiles#readDataset}), or empty text → null. */
    static DatasetChoice ofSlug(String slug) {
        for (DatasetChoice d : values()) if (d.slug.equals(slug.toLowerCase(Locale.ROOT))) return d;
        return null;
    }

    /**
     * Checks that {@code folder} holds an MNIST-style split without reading it (a few file
     * look-ups, fine on the UI thread): the split's name and image file, e.g. "train split
     * (train-images-idx3-ubyte.gz)". The exception's message names the folder and what is missing.
     */
    public static String describeFolder(Path folder) throws IOException {
        DatasetFolder.Split split = DatasetFolder.find(folder);
        return "%s split (%s)".formatted(split.name(), split.images().getFileName());
    }

    /**
     * Reads the images, the first {@code limit} of them when {@code limit > 0} (tests train on a
     * small slice).
     */
    public TrainingSet load(Path folder, int limit) throws IOException {
        return load(folder, limit, IdxReader.Reading.NONE);
    }

    /**
     * As {@link #load(Path, int)}, refusing up front a folder whose images and their floats would
     * not fit in the heap ({@link HeapCheck.TooLarge} names the file, the memory and the -Xmx), with
     * the fraction read reported and cancelled when {@code reading} says so.
     */
    public TrainingSet load(Path folder, int limit, IdxReader.Reading reading) throws IOException {
        if (isText()) throw new IllegalStateException(label + " is text, not images");
        if (needsFolder() && folder == null) {
            throw new IllegalArgumentException("choose the folder of %s IDX files first".formatted(
                    this == FASHION_FOLDER ? "Fashion-MNIST" : "MNIST"));
        }
        MnistDataset data = needsFolder() ? MnistDataset.fromFolder(folder, HeapCheck.TO_TRAIN, reading) : MnistDataset.bundled();
        TrainingSet all = TrainingSet.images(data);
        return limit <= 0 ? all : all.first(limit);
    }
}
