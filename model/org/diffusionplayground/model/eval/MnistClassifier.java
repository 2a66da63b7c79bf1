package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.nn.HeapArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A small MNIST classifier (two 3×3 conv + max-pool stages, a 64-unit feature layer, 10 logits),
 * used to judge generated digits: the accuracy of guided samples against the requested class,
 * and FID-lite, the Fréchet distance of its 64-d penultimate features ({@link FrechetDistance}).
 * Input: images [N, 1, 28, 28] in [0, 1].
 */
public final class MnistClassifier {

    public static final int FEATURES = 64;
    private static final int CLASSES = 10;

    private final SameDiff sd;

    private MnistClassifier(SameDiff sd) {
        this.sd = sd;
    }

    /** A fresh, untrained classifier with He-initialised weights drawn from {@code seed}. */
    public static MnistClassifier create(long seed) {
        Noise noise = new Noise(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, CLASSES);
        SDVariable h = convPool(sd, noise, x, "c1", 1, 16);                 // [B, 16, 14, 14]
        h = convPool(sd, noise, h, "c2", 16, 32);                            // [B, 32, 7, 7]
        h = h.reshape(-1, 32 * 7 * 7);
        SDVariable features = sd.nn.relu("features", dense(sd, noise, h, "d1", 32 * 49, FEATURES), 0);
        SDVariable logits = sd.identity("logits", dense(sd, noise, features, "d2", FEATURES, CLASSES));
        sd.loss.softmaxCrossEntropy("loss", label, logits, null, org.nd4j.autodiff.loss.LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        return new MnistClassifier(sd);
    }

    private static SDVariable convPool(SameDiff sd, Noise noise, SDVariable in, String name, int cin, int cout) {
        SDVariable w = sd.var(name + "_w", noise.normal(3, 3, cin, cout).muli(Math.sqrt(2.0 / (9 * cin))));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, cout));
        SDVariable conv = sd.cnn.conv2d(in, w, b, Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1)
                .pH(1).pW(1).paddingMode(PaddingMode.SAME).dataFormat("NCHW").build());
        return sd.cnn.maxPooling2d(sd.nn.relu(conv, 0), Pooling2DConfig.builder()
                .kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
    }

    private static SDVariable dense(SameDiff sd, Noise noise, SDVariable in, String name, int nIn, int nOut) {
        SDVariable w = sd.var(name + "_w", noise.normal(nIn, nOut).muli(Math.sqrt(2.0 / nIn)));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, nOut));
        return in.mmul(w).add(b);
    }

    /**
     * Trains with Adam (lr 1e-3) for {@code epochs} passes in batches of {@code batch};
     * {@code onEpoch} receives (loss on the first 1,024 images, epoch).
     */
    public void train(INDArray images, int[] labels, int epochs, int batch, long seed,
                      java.util.function.ObjIntConsumer<Double> onEpoch) {
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, labels.length, CLASSES);
        for (int i = 0; i < labels.length; i++) oneHot.putScalar(i, labels[i], 1);
        DataSet all = new DataSet(images.castTo(DataType.FLOAT), oneHot);
        DataSet probe = (DataSet) all.getRange(0, Math.min(labels.length, 1024));
        for (int epoch = 0; epoch < epochs; epoch++) {
            all.shuffle(seed + epoch);
            DataSetIterator it = new ViewIterator(all, batch);
            sd.fit(it, 1);
            // ND4J 1.0.0-M2.1 reports 0 for the loss in History and in listeners' iterationDone
            // (measured), so the loss is evaluated directly on a fixed slice of the training set.
            onEpoch.accept(sd.output(Map.of("input", probe.getFeatures(), "label", probe.getLabels()), "loss")
                    .get("loss").getDouble(0), epoch);
        }
    }

    public INDArray logits(INDArray images) {
        return output(images, "logits");
    }

    /** Penultimate features [N, 64]. */
    public INDArray features(INDArray images) {
        return output(images, "features");
    }

    public int[] predict(INDArray images) {
        return HeapArrays.ints(logits(images).argMax(1));
    }

    private INDArray output(INDArray images, String name) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != 28 || s[3] != 28) {
            throw new IllegalArgumentException("expected images [N, 1, 28, 28], got " + java.util.Arrays.toString(s));
        }
        Map<String, INDArray> out = sd.output(Map.of("input", images.castTo(DataType.FLOAT)), name);
        return out.get(name);
    }

    /** Writes the weights (no optimiser state) atomically: temp file, then rename. */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        sd.save(tmp.toFile(), false);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static MnistClassifier load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("classifier weights not found: " + file);
        try {
            SameDiff sd = SameDiff.load(file.toFile(), false);
            if (!sd.hasVariable("features") || !sd.hasVariable("logits")) {
                throw new IOException(file + " is not an MNIST classifier (no features/logits)");
            }
            return new MnistClassifier(sd);
        } catch (RuntimeException e) {
            throw new IOException("cannot read classifier weights " + file + ": " + e.getMessage(), e);
        }
    }
}
