package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.checkpoint.Pretrained;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The FID-lite / accuracy pipeline with the shipped classifier and the bundled digits, and
 * {@link QualityBenchmark} end to end with fake "models" whose outputs are known: real training
 * digits of the requested class (should score like real digits) and uniform noise (should not).
 */
class QualityBenchmarkTest {

    private static MnistClassifier classifier;
    private static MnistDataset data;

    @BeforeAll
    static void load() throws IOException {
        NativeBuild.configure();
        classifier = MnistClassifier.load(Pretrained.locate("mnist-classifier.sd").orElseThrow());
        data = MnistDataset.bundled();
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    @Test
    void shippedClassifierIsAtLeast95PercentAccurateOnTheHeldOutDigits() {
        int[] heldOut = range(QualityBenchmark.HELD_OUT_FROM, QualityBenchmark.HELD_OUT_TO);
        int[] predicted = classifier.predict(QualityBenchmark.unitImages(data, heldOut));
        double accuracy = QualityBenchmark.accuracy(predicted, QualityBenchmark.labels(data, heldOut));
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy); // 0.969 when shipped
    }

    @Test
    void fidLiteOfRealVsRealIsSmallAndOfRealVsNoiseIsLarge() {
        int[] shuffled = QualityBenchmark.shuffledHeldOut(0);
        double[][] a = QualityBenchmark.features(classifier, QualityBenchmark.unitImages(data, Arrays.copyOfRange(shuffled, 0, 200)));
        double[][] b = QualityBenchmark.features(classifier, QualityBenchmark.unitImages(data, Arrays.copyOfRange(shuffled, 200, 400)));
        INDArray noise = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 200, 1, 28, 28);
        double realVsReal = FrechetDistance.between(a, b);
        double realVsNoise = FrechetDistance.between(a, QualityBenchmark.features(classifier, noise));
        // measured: real/real 12.66, real/noise 428.6
        assertTrue(realVsNoise > 20 * realVsReal, "real/real %.3f, real/noise %.3f".formatted(realVsReal, realVsNoise));
    }

    @Test
    void heldOutShuffleIsAPermutationOfTheHeldOutRangeAndDependsOnTheSeed() {
        int[] s0 = QualityBenchmark.shuffledHeldOut(0), s1 = QualityBenchmark.shuffledHeldOut(1);
        assertTrue(Arrays.equals(range(8000, 9000), Arrays.stream(s0).sorted().toArray()));
        assertTrue(Arrays.equals(s0, QualityBenchmark.shuffledHeldOut(0)));
        assertTrue(!Arrays.equals(s0, s1));
    }

    /** x̂0 = a training digit (index < 8000) of the requested class, picked by a hash of x_t. */
    private static KnownX0Denoiser realDigitModel() {
        List<int[]> byClass = new ArrayList<>();
        for (int k = 0; k < 10; k++) byClass.add(Arrays.stream(data.indicesOf(k)).filter(i -> i < 8000).toArray());
        return new KnownX0Denoiser((label, xt) -> {
            int k = label == 10 ? Math.floorMod(Arrays.hashCode(xt), 10) : label;
            int[] pool = byClass.get(k);
            return data.image(pool[Math.floorMod(Arrays.hashCode(xt) * 31 + 7, pool.length)]);
        });
    }

    private static QualityBenchmark.Config config(List<Double> guidance) {
        return config(guidance, 200);
    }

    private static QualityBenchmark.Config config(List<Double> guidance, int n) {
        return new QualityBenchmark.Config(QualityBenchmark.grid(List.of(SamplerKind.DDIM), List.of(3), guidance),
                Spacing.LOGSNR, SamplerOptions.defaults(), n, 64, 0);
    }

    @Test
    void realDigitsAsSamplesScoreNearTheFloorWithFullAccuracy() {
        List<QualityBenchmark.Floor> floors = new ArrayList<>();
        List<QualityBenchmark.Row> rows = QualityBenchmark.run(realDigitModel(), classifier, data, config(List.of(1.0)),
                new QualityBenchmark.Listener() {
                    @Override public void onFloor(QualityBenchmark.Floor f) { floors.add(f); }
                }, () -> false);
        QualityBenchmark.Floor floor = floors.get(0);
        QualityBenchmark.Row row = rows.get(0);
        assertEquals(3, row.nfe());
        // measured (seed 0, n = 200): floor 12.66, real training digits 12.27 at accuracy 1.0; reference accuracy 0.955
        assertTrue(floor.accuracy() >= 0.93, "classifier on real reference digits: " + floor.accuracy());
        assertTrue(row.accuracy() >= 0.95, "accuracy " + row.accuracy());
        assertTrue(row.fidLite() < 2 * floor.fidLite(), "generated %.3f vs floor %.3f".formatted(row.fidLite(), floor.fidLite()));
    }

    @Test
    void noiseAsSamplesScoresFarAboveTheFloorAtChanceAccuracy() {
        KnownX0Denoiser noiseModel = new KnownX0Denoiser((label, xt) -> {
            SplittableRandom random = new SplittableRandom(Arrays.hashCode(xt));
            float[] x = new float[784];
            for (int p = 0; p < 784; p++) x[p] = (float) (2 * random.nextDouble() - 1);
            return x;
        });
        List<QualityBenchmark.Floor> floors = new ArrayList<>();
        List<QualityBenchmark.Row> rows = QualityBenchmark.run(noiseModel, classifier, data, config(List.of(1.0, 3.0)),
                new QualityBenchmark.Listener() {
                    @Override public void onFloor(QualityBenchmark.Floor f) { floors.add(f); }
                }, () -> false);
        assertEquals(2, rows.size());
        // measured: noise 430.7 (w = 1) and 430.4 (w = 3) vs floor 12.66; accuracy 0.115 and 0.095
        for (QualityBenchmark.Row row : rows) {
            assertTrue(row.fidLite() > 20 * floors.get(0).fidLite(), "noise %.3f vs floor %.3f".formatted(row.fidLite(), floors.get(0).fidLite()));
            assertTrue(row.accuracy() < 0.3, "accuracy on noise " + row.accuracy());
        }
        // guidance 3 sends conditional + null labels in one call of 2·64 (first chunk of 64)
        assertTrue(noiseModel.calls().stream().anyMatch(c -> c.length == 128));
    }

    @Test
    void sameSeedGivesTheSameTable() {
        QualityBenchmark.Row a = QualityBenchmark.run(realDigitModel(), classifier, data, config(List.of(1.0), 40),
                new QualityBenchmark.Listener() { }, () -> false).get(0);
        QualityBenchmark.Row b = QualityBenchmark.run(realDigitModel(), classifier, data, config(List.of(1.0), 40),
                new QualityBenchmark.Listener() { }, () -> false).get(0);
        assertEquals(a.fidLite(), b.fidLite(), 0);
        assertEquals(a.accuracy(), b.accuracy(), 0);
    }
}
