package org.diffusionplayground.model.train;

import org.diffusionplayground.model.data.TrainingSet;
import java.io.IOException;
import org.diffusionplayground.model.data.MnistDataset;

/** Small slices of the bundled MNIST subset for fast training tests. */
final class TrainingSets {

    private TrainingSets() {
    }

    static TrainingSet digits(int n) throws IOException {
        MnistDataset all = MnistDataset.bundled();
        float[] pixels = new float[n * (28 * 28)];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            all.image(i, pixels, i * (28 * 28));
            labels[i] = all.label(i);
        }
        return TrainingSet.images(pixels, labels, 10);
    }
}
