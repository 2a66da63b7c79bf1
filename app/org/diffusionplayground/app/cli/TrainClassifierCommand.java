package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.eval.MnistClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train-classifier}: trains the MNIST classifier that judges generated digits (accuracy
 * and FID-lite). Holds out the last {@code --holdout} images and reports accuracy on them.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, description = "Train the MNIST classifier used by 'bench quality'.")
final class TrainClassifierCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data", description = "IDX folder (default: the bundled 9k MNIST subset)")
    Path data;

    @Option(names = "--epochs", defaultValue = "6", description = "passes over the training digits (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "digits per step (default ${DEFAULT-VALUE})") int batch;
    @Option(names = "--holdout", defaultValue = "1000",
            description = "last N digits kept out of training and scored (default ${DEFAULT-VALUE})") int holdout;
    @Option(names = "--seed", defaultValue = "0", description = "seeds the weights and data order (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "pretrained/mnist-classifier.sd",
            description = "where to write the weights (default ${DEFAULT-VALUE})") Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        Arguments.inRange("--epochs", epochs, 1, 200);
        Arguments.inRange("--batch", batch, 1, 4096);
        MnistDataset dataset = data == null ? MnistDataset.bundled() : MnistDataset.fromFolder(data);
        Arguments.inRange("--holdout", holdout, 1, dataset.size() - 1);
        int train = dataset.size() - holdout;
        MnistClassifier classifier = MnistClassifier.create(seed);
        long start = System.nanoTime();
        classifier.train(images(dataset, 0, train), labels(dataset, 0, train), epochs, batch, seed,
                (loss, epoch) -> log.printf("epoch %d  loss %.4f  (%.0f s)%n", epoch + 1, loss,
                        (System.nanoTime() - start) / 1e9));
        int[] expected = labels(dataset, train, dataset.size());
        int[] predicted = classifier.predict(images(dataset, train, dataset.size()));
        int correct = 0;
        for (int i = 0; i < expected.length; i++) if (predicted[i] == expected[i]) correct++;
        log.printf("held-out accuracy %.2f%% (%d/%d)%n", 100.0 * correct / expected.length, correct, expected.length);
        classifier.save(out);
        log.println("wrote " + out);
        return 0;
    }

    /** Images [to−from, 1, 28, 28] mapped to [0, 1], the classifier's input range. */
    static INDArray images(MnistDataset dataset, int from, int to) {
        int n = dataset.pixelsPerImage();
        float[] pixels = new float[(to - from) * n];
        for (int i = from; i < to; i++) dataset.image(i, pixels, (i - from) * n);
        for (int k = 0; k < pixels.length; k++) pixels[k] = (pixels[k] + 1) / 2;
        return Nd4j.create(pixels, new long[]{to - from, 1, dataset.rows(), dataset.cols()}, DataType.FLOAT);
    }

    static int[] labels(MnistDataset dataset, int from, int to) {
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) labels[i - from] = dataset.label(i);
        return labels;
    }
}
