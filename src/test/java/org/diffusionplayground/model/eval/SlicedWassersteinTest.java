package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.toy.ToyDataset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SlicedWassersteinTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void oneDimensionalDistanceOfUnequalSizesIsTheQuantileIntegral() {
        // p = {0, 1}, q = {0, ½, 1}: quantiles differ by ½ on u ∈ [1/3, 2/3), so W₂² = ¼·⅓ = 1/12
        assertEquals(1.0 / 12, SlicedWasserstein.wasserstein2Squared(new double[] {1, 0}, new double[] {0.5, 1, 0}), 1e-15);
        // a shift by c moves every quantile by c
        assertEquals(9.0, SlicedWasserstein.wasserstein2Squared(new double[] {0, 1, 5}, new double[] {3, 4, 8}), 1e-12);
    }

    @Test
    void aCloudRepeatedTwiceIsAtDistanceZeroFromItself() {
        double[] a = {0, 1, 2, -1, 0.5, 0.25};
        double[] twice = {0, 1, 2, -1, 0.5, 0.25, 2, -1, 0, 1, 0.5, 0.25};
        assertEquals(0, SlicedWasserstein.distance(a, twice, 64, 3), 1e-12);
    }

    @Test
    void translationByCGivesDistanceNearAbsCOverRootTwo() {
        // SW₂² = E_θ[(θ·c)²] = |c|²/2 for θ uniform on the circle; 4000 directions: ±3 %
        INDArray a = new Noise(1, DataType.DOUBLE).normal(500, 2);
        INDArray b = a.add(Nd4j.createFromArray(3.0, 4.0).reshape(1, 2));
        assertEquals(5 / Math.sqrt(2), SlicedWasserstein.distance(a, b, 4000, 9), 0.03 * 5 / Math.sqrt(2));
    }

    @Test
    void sameSeedSameDistanceAndNonFiniteGivesNaN() {
        INDArray a = new Noise(1, DataType.FLOAT).normal(300, 2);
        INDArray b = new Noise(2, DataType.FLOAT).normal(200, 2);
        assertEquals(SlicedWasserstein.distance(a, b, 50, 4), SlicedWasserstein.distance(a, b, 50, 4));
        b.putScalar(7, Double.NaN);
        assertTrue(Double.isNaN(SlicedWasserstein.distance(a, b, 50, 4)));
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.distance(a, a, 0, 4));
    }

    @Test
    void aPrecomputedReferenceGivesExactlyTheDistanceOfEachCloud() {
        INDArray reference = new Noise(3, DataType.DOUBLE).normal(1000, 2);
        SlicedWasserstein.Reference scorer = SlicedWasserstein.Reference.of(reference, 32, 5);
        assertEquals(32, scorer.projections());
        assertEquals(1000, scorer.size());
        for (long seed = 10; seed < 13; seed++) { // reused: its sorted projections are not disturbed
            INDArray cloud = new Noise(seed, DataType.FLOAT).normal(300 + (int) seed, 2);
            assertEquals(SlicedWasserstein.distance(cloud, reference, 32, 5), scorer.distanceTo(cloud), 0.0);
        }
        INDArray bad = new Noise(1, DataType.FLOAT).normal(10, 2);
        bad.putScalar(3, Double.POSITIVE_INFINITY);
        assertTrue(Double.isNaN(scorer.distanceTo(bad)));
        assertTrue(Double.isNaN(SlicedWasserstein.Reference.of(bad, 4, 0).distanceTo(reference)));
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.Reference.of(reference, 0, 5));
    }

    @Test
    void exactSamplesOfAGaussianConvergeAtRootNRate() {
        INDArray reference = ToyDataset.GAUSSIAN.sample(100_000, new Noise(7, DataType.DOUBLE));
        double small = SlicedWasserstein.distance(ToyDataset.GAUSSIAN.sample(1000, new Noise(8, DataType.DOUBLE)), reference, 128, 1);
        double large = SlicedWasserstein.distance(ToyDataset.GAUSSIAN.sample(30_000, new Noise(9, DataType.DOUBLE)), reference, 128, 1);
        assertTrue(large < small / 2.5, "n=1000: %s, n=30000: %s".formatted(small, large));
        assertTrue(large < 0.02, "n=30000: " + large);
    }
}
