package org.diffusionplayground.model.train;

import org.diffusionplayground.model.data.TrainingImages;
import java.io.IOException;
import org.diffusionplayground.model.data.MnistDataset;

/** Small slices of the bundled MNIST subset for fast training tests. */
final class TrainingSets {

    private TrainingSets() {
    }

    static TrainingImages digits(int n) throws IOException {
        MnistDataset all = MnistDataset.bundled();
        float[] pixels = new float[n * TrainingImages.PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            all.image(i, pixels, i * TrainingImages.PIXELS);
            labels[i] = all.label(i);
        }
        return new TrainingImages(pixels, labels, 10);
    }
}
