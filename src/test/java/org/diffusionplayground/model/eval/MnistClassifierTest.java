package org.diffusionplayground.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MnistClassifierTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** Class k: a bright 4×4 patch at one of ten places, on faint noise. */
    private static INDArray patches(int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[labels.length * 784];
        for (int n = 0; n < labels.length; n++) {
            for (int p = 0; p < 784; p++) pixels[n * 784 + p] = (float) (0.2 * random.nextDouble());
            int row = 3 + 12 * (labels[n] / 5), col = 2 + 5 * (labels[n] % 5);
            for (int dy = 0; dy < 4; dy++) {
                for (int dx = 0; dx < 4; dx++) pixels[n * 784 + (row + dy) * 28 + col + dx] = 1f;
            }
        }
        return Nd4j.create(pixels, new long[]{labels.length, 1, 28, 28}, DataType.FLOAT);
    }

    private static int[] labels(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = random.nextInt(10);
        return labels;
    }

    @Test
    void learnsASeparableTaskAndItsLossFalls() {
        MnistClassifier classifier = MnistClassifier.create(1);
        int[] trainLabels = labels(600, 2);
        List<Double> losses = new ArrayList<>();
        classifier.train(patches(trainLabels, 3), trainLabels, 3, 32, 4, (loss, epoch) -> losses.add(loss));
        assertEquals(3, losses.size());
        assertTrue(losses.get(2) < 0.5 * losses.get(0), "loss should fall: " + losses);
        int[] testLabels = labels(200, 5);
        int[] predicted = classifier.predict(patches(testLabels, 6));
        int correct = 0;
        for (int i = 0; i < testLabels.length; i++) if (predicted[i] == testLabels[i]) correct++;
        assertTrue(correct >= 190, "accuracy " + correct + "/200");
        assertArrayEquals(new long[]{200, MnistClassifier.FEATURES}, classifier.features(patches(testLabels, 6)).shape());
    }

    @Test
    void savedWeightsReloadToTheSameOutputs(@TempDir Path dir) throws IOException {
        MnistClassifier classifier = MnistClassifier.create(9);
        INDArray images = patches(labels(8, 10), 11);
        Path file = dir.resolve("classifier.sd");
        classifier.save(file);
        MnistClassifier loaded = MnistClassifier.load(file);
        assertEquals(classifier.logits(images), loaded.logits(images));
    }

    @Test
    void aCorruptFileIsRejectedWithItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.sd");
        Files.write(file, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        IOException e = assertThrows(IOException.class, () -> MnistClassifier.load(file));
        assertTrue(e.getMessage().contains("broken.sd"), e.getMessage());
    }

    @Test
    void wrongImageShapeIsRejected() {
        MnistClassifier classifier = MnistClassifier.create(1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> classifier.logits(Nd4j.zeros(DataType.FLOAT, 2, 784)));
        assertTrue(e.getMessage().contains("[2, 784]"));
    }
}
