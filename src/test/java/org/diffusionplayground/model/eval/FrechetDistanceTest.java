package org.diffusionplayground.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        // For diagonal C₁ = diag(a), C₂ = diag(b): d² = |μ₁−μ₂|² + Σ (√aᵢ − √bᵢ)².
        double[] a = {1.0, 4.0, 0.25}, b = {9.0, 1.0, 0.25};
        var m1 = new FrechetDistance.Moments(new double[]{0, 1, 2}, diag(a));
        var m2 = new FrechetDistance.Moments(new double[]{1, 1, 0}, diag(b));
        double expected = (1 + 0 + 4) + Math.pow(1 - 3, 2) + Math.pow(2 - 1, 2) + 0;
        assertEquals(expected, FrechetDistance.between(m1, m2), 1e-9);
    }

    @Test
    void rotatedCovarianceGivesTheSameDistanceAsItsEigenbasis() {
        // Rotating both Gaussians by the same orthogonal matrix leaves the distance unchanged:
        // C₁ = R·diag(2, 0.5)·Rᵀ and C₂ = R·diag(0.5, 2)·Rᵀ are at distance (√2−√0.5)²·2.
        double c = Math.cos(0.7), s = Math.sin(0.7);
        double[][] r = {{c, -s}, {s, c}};
        double[][] rt = {{c, s}, {-s, c}};
        double[][] c1 = FrechetDistance.multiply(FrechetDistance.multiply(r, diag(new double[]{2, 0.5})), rt);
        double[][] c2 = FrechetDistance.multiply(FrechetDistance.multiply(r, diag(new double[]{0.5, 2})), rt);
        var m1 = new FrechetDistance.Moments(new double[]{0, 0}, c1);
        var m2 = new FrechetDistance.Moments(new double[]{0, 0}, c2);
        assertEquals(2 * Math.pow(Math.sqrt(2) - Math.sqrt(0.5), 2), FrechetDistance.between(m1, m2), 1e-9);
    }

    /**
     * The bootstrap spread of one pair of sets against the spread of the distance over 40 pairs
     * drawn afresh from the same two distributions (mean shift 0.5 in 4 dimensions, 200 rows each):
     * the bootstrap, made from one pair only, should land within a factor 2 of it.
     */
    @Test
    void theBootstrapSpreadMatchesTheSpreadOverFreshDraws() {
        SplittableRandom random = new SplittableRandom(11);
        double sum = 0, sumSq = 0;
        int pairs = 40;
        for (int k = 0; k < pairs; k++) {
            double d = FrechetDistance.between(gaussianRows(random, 200, 0), gaussianRows(random, 200, 0.5));
            sum += d;
            sumSq += d * d;
        }
        double fresh = Math.sqrt((sumSq - sum * sum / pairs) / (pairs - 1));
        double boot = FrechetDistance.bootstrapSpread(gaussianRows(random, 200, 0), gaussianRows(random, 200, 0.5), 60, 3);
        assertTrue(boot > fresh / 2 && boot < fresh * 2, "bootstrap %.4f vs fresh draws %.4f".formatted(boot, fresh));
    }

    @Test
    void samplesOfOneDistributionAreCloseAndShiftedOnesAreFar() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] x = gaussianRows(random, 4000, 0), y = gaussianRows(random, 4000, 0);
        double[][] shifted = gaussianRows(random, 4000, 1.0);
        assertEquals(0, FrechetDistance.between(x, y), 0.02);
        // mean shift of 1 in each of 4 dims: d² ≈ 4
        assertEquals(4, FrechetDistance.between(x, shifted), 0.2);
    }

    @Test
    void eigenDecompositionReconstructsTheMatrix() {
        double[][] m = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}};
        SymmetricEigen e = SymmetricEigen.of(m);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) sum += e.vectors()[i][k] * e.values()[k] * e.vectors()[j][k];
                assertEquals(m[i][j], sum, 1e-10);
            }
        }
    }

    private static double[][] diag(double[] d) {
        double[][] m = new double[d.length][d.length];
        for (int i = 0; i < d.length; i++) m[i][i] = d[i];
        return m;
    }

    private static double[][] gaussianRows(SplittableRandom random, int n, double shift) {
        double[][] rows = new double[n][4];
        for (double[] row : rows) {
            for (int j = 0; j < 4; j++) row[j] = shift + gaussian(random);
        }
        return rows;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
