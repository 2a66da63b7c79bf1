package org.diffusionplayground.model.eval;

/**
 * The Fréchet distance between two Gaussians fitted to feature sets — FID's formula
 * (Heusel et al. 2017, eq. 6), applied to our MNIST classifier's penultimate features
 * ("FID-lite"):
 * <pre>
 *   d² = |μ₁ − μ₂|² + tr(C₁ + C₂ − 2·(C₁^½ C₂ C₁^½)^½)
 * </pre>
 * The matrix square roots come from symmetric eigendecompositions (cyclic Jacobi), which is
 * exact for the symmetric PSD matrices here and needs no LAPACK.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** A Gaussian fitted to features: mean [D] and covariance [D][D] (unbiased). */
    public record Moments(double[] mean, double[][] cov) {

        /** Fits rows of {@code features} [N][D], N ≥ 2. */
        public static Moments of(double[][] features) {
            int n = features.length;
            if (n < 2) throw new IllegalArgumentException("need at least 2 feature rows, got " + n);
            int d = features[0].length;
            double[] mean = new double[d];
            for (double[] row : features) for (int j = 0; j < d; j++) mean[j] += row[j] / n;
            double[][] cov = new double[d][d];
            for (double[] row : features) {
                for (int i = 0; i < d; i++) {
                    double di = row[i] - mean[i];
                    for (int j = i; j < d; j++) cov[i][j] += di * (row[j] - mean[j]);
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    cov[i][j] /= n - 1;
                    cov[j][i] = cov[i][j];
                }
            }
            return new Moments(mean, cov);
        }
    }

    public static double between(double[][] featuresA, double[][] featuresB) {
        return between(Moments.of(featuresA), Moments.of(featuresB));
    }

    public static double between(Moments a, Moments b) {
        int d = a.mean().length;
        if (b.mean().length != d) {
            throw new IllegalArgumentException("feature sizes differ: %d vs %d".formatted(d, b.mean().length));
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) meanTerm += Math.pow(a.mean()[i] - b.mean()[i], 2);
        double[][] rootA = sqrtPsd(a.cov());
        double[][] middle = multiply(multiply(rootA, b.cov()), rootA);
        symmetrize(middle);
        double traceRoot = 0;
        for (double lambda : SymmetricEigen.of(middle).values()) traceRoot += Math.sqrt(Math.max(lambda, 0));
        double trace = 0;
        for (int i = 0; i < d; i++) trace += a.cov()[i][i] + b.cov()[i][i];
        return Math.max(meanTerm + trace - 2 * traceRoot, 0);
    }

    /**
     * How much the distance between two feature sets moves when each set is drawn again: the
     * standard deviation of {@link #between} over {@code rounds} bootstrap resamples (Efron 1979,
     * "Bootstrap methods: another look at the jackknife"), each set's rows drawn with replacement.
     * Two distances closer than about twice this are not told apart by sets of this size.
     */
    public static double bootstrapSpread(double[][] featuresA, double[][] featuresB, int rounds, long seed) {
        if (rounds < 2) throw new IllegalArgumentException("rounds (%d) must be ≥ 2".formatted(rounds));
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double sum = 0, sumSq = 0;
        for (int r = 0; r < rounds; r++) {
            double d = between(resample(featuresA, random), resample(featuresB, random));
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / rounds;
        return Math.sqrt(Math.max(0, (sumSq - rounds * mean * mean) / (rounds - 1)));
    }

    private static double[][] resample(double[][] rows, java.util.SplittableRandom random) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = rows[random.nextInt(rows.length)];
        return out;
    }

    /** The PSD square root V·diag(√max(λ, 0))·Vᵀ. */
    static double[][] sqrtPsd(double[][] m) {
        SymmetricEigen e = SymmetricEigen.of(m);
        int d = m.length;
        double[][] root = new double[d][d];
        for (int k = 0; k < d; k++) {
            double s = Math.sqrt(Math.max(e.values()[k], 0));
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) root[i][j] += e.vectors()[i][k] * s * e.vectors()[j][k];
            }
        }
        return root;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, m = b[0].length, k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                for (int j = 0; j < m; j++) c[i][j] += aip * b[p][j];
            }
        }
        return c;
    }

    private static void symmetrize(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double avg = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = avg;
                m[j][i] = avg;
            }
        }
    }
}
