package org.diffusionplayground.model.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

class ToyDatasetTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void ring8HasEightEqualModesOnRadiusTwoWithStdPointFifteen() {
        GaussianMixture ring = ToyDataset.RING8.mixture();
        assertEquals(8, ring.components());
        for (int k = 0; k < 8; k++) {
            assertArrayEquals(new double[] {2 * Math.cos(Math.PI * k / 4), 2 * Math.sin(Math.PI * k / 4)}, ring.mean(k), 1e-12);
            assertEquals(0.15, ring.std(k));
            assertEquals(0.125, ring.weight(k), 1e-15);
        }
    }

    @Test
    void ring8SamplesHaveEqualModeCountsAndPerModeStd() {
        int n = 16_000;
        var labelled = ToyDataset.RING8.mixture().sampleWithLabels(n, new Noise(3, DataType.DOUBLE));
        double[] xy = labelled.x().dup('c').data().asDouble();
        int[] count = new int[8];
        double[] sumSq = new double[8];
        for (int i = 0; i < n; i++) {
            int k = labelled.labels()[i];
            double dx = xy[2 * i] - 2 * Math.cos(Math.PI * k / 4), dy = xy[2 * i + 1] - 2 * Math.sin(Math.PI * k / 4);
            count[k]++;
            sumSq[k] += dx * dx + dy * dy;
        }
        double chiSquare = 0;
        for (int k = 0; k < 8; k++) {
            chiSquare += Math.pow(count[k] - n / 8.0, 2) / (n / 8.0);
            assertEquals(0.15, Math.sqrt(sumSq[k] / (2 * count[k])), 0.01, "mode " + k);
        }
        assertTrue(chiSquare < 24.3, "χ² (7 dof, p = 0.001 critical 24.3): " + chiSquare);
    }

    @ParameterizedTest
    @EnumSource(ToyDataset.class)
    void everyDatasetIsAMixtureSampledReproduciblyWithinTheBox(ToyDataset dataset) {
        int k = dataset.mixture().components();
        if (dataset == ToyDataset.MOONS || dataset == ToyDataset.SPIRAL || dataset == ToyDataset.CHECKERBOARD) {
            assertTrue(k >= 64 && k <= 200, dataset + " has " + k + " components");
        }
        double[] a = dataset.sample(2000, new Noise(11, DataType.FLOAT)).castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] b = dataset.sample(2000, new Noise(11, DataType.FLOAT)).castTo(DataType.DOUBLE).dup().data().asDouble();
        assertArrayEquals(a, b);
        for (double v : a) assertTrue(Double.isFinite(v) && Math.abs(v) < 4, dataset + ": " + v);
        assertEquals(dataset, ToyDataset.parse(dataset.cliName()));
    }

    @Test
    void singleGaussianSampleHasItsMeanAndStd() {
        double[] xy = ToyDataset.GAUSSIAN.sample(40_000, new Noise(5, DataType.DOUBLE)).dup().data().asDouble();
        double mx = 0, my = 0, ss = 0;
        for (int i = 0; i < xy.length / 2; i++) { mx += xy[2 * i]; my += xy[2 * i + 1]; }
        mx /= xy.length / 2.0;
        my /= xy.length / 2.0;
        for (int i = 0; i < xy.length / 2; i++) ss += Math.pow(xy[2 * i] - mx, 2) + Math.pow(xy[2 * i + 1] - my, 2);
        assertEquals(0.5, mx, 0.02);
        assertEquals(-0.3, my, 0.02);
        assertEquals(0.8, Math.sqrt(ss / xy.length), 0.01);
    }

    @Test
    void badMixturesAndNamesAreRejectedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[][] {{0, 0}}, new double[] {-1}, new double[] {1}));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[][] {{0, 0}, {1, 1}}, new double[] {1}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[][] {{0, 0}}, new double[] {1}, new double[] {0}));
        e = assertThrows(IllegalArgumentException.class, () -> ToyDataset.parse("ring9"));
        assertTrue(e.getMessage().contains("ring8") && e.getMessage().contains("checkerboard"), e.getMessage());
    }
}
