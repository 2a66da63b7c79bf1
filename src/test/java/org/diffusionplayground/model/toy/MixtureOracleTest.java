package org.diffusionplayground.model.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oracle against code paths that share nothing with it: the single-Gaussian closed form,
 * Bayes' rule written as a scalar loop over points and components, and the defining property
 * of a conditional expectation checked by Monte Carlo.
 */
class MixtureOracleTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.05, 0.3, 0.7, 1.0})
    void singleGaussianOracleEqualsClosedFormPosteriorNoise(double t) {
        // E[ε | x] = σ(x − αμ)/(α²s² + σ²): x_t ~ N(αμ, (α²s²+σ²)I) and Cov(ε, x_t) = σI.
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        Denoiser oracle = ToyDataset.GAUSSIAN.mixture().oracle(schedule);
        INDArray x = new Noise(1, DataType.DOUBLE).normal(64, 2).muli(2);
        double[][] eps = oracle.predict(x, t, null).toDoubleMatrix();
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t), s = 0.8;
        double[] mu = {0.5, -0.3};
        double[][] xs = x.toDoubleMatrix();
        for (int i = 0; i < xs.length; i++) {
            for (int d = 0; d < 2; d++) {
                double expected = sigma * (xs[i][d] - alpha * mu[d]) / (alpha * alpha * s * s + sigma * sigma);
                assertEquals(expected, eps[i][d], 1e-10, "point " + i + " dim " + d);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.02, 0.2, 0.5, 0.9})
    void ring8OracleEqualsScalarBayesRule(double t) {
        NoiseSchedule schedule = NoiseSchedule.cosine();
        GaussianMixture ring = ToyDataset.RING8.mixture();
        INDArray x = new Noise(2, DataType.DOUBLE).normal(200, 2).muli(1.5);
        double[][] actual = ring.oracle(schedule).predict(x, t, null).toDoubleMatrix();
        double[][] expected = scalarBayes(ring, schedule, x.toDoubleMatrix(), t);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], 1e-8, "point " + i);
    }

    /**
     * On the linear interpolant, in every parameterisation, the closed form of a single Gaussian:
     * x̂0 = μ + α·s²·(x − α·μ)/(α²s² + σ²), ε̂ = σ·(x − α·μ)/(α²s² + σ²), output a·x̂0 + b·ε̂
     * (u = ε̂ − x̂0) — including t = 1, where α = 0, x̂0 = μ and ε̂ = x.
     */
    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void singleGaussianOracleOnTheInterpolantGivesTheClosedFormInEveryParameterisation(Parameterization kind) {
        LinearInterpolant path = LinearInterpolant.defaults();
        Denoiser oracle = ToyDataset.GAUSSIAN.mixture().oracle(path, kind);
        assertEquals(kind, oracle.parameterization());
        INDArray x = new Noise(6, DataType.DOUBLE).normal(32, 2).muli(2);
        double[][] xs = x.toDoubleMatrix();
        double s = 0.8;
        double[] mu = {0.5, -0.3};
        for (double t : new double[] {0.001, 0.3, 0.7, 1.0}) {
            double[][] out = oracle.predict(x, t, null).toDoubleMatrix();
            double alpha = path.alpha(t), sigma = path.sigma(t), v = alpha * alpha * s * s + sigma * sigma;
            // output = a·x̂0 + b·ε̂; for u, a = α' = −1 and b = σ' = 1
            double a = switch (kind) { case EPS -> 0; case X0 -> 1; case V -> -sigma; case U -> -1; };
            double b = switch (kind) { case EPS -> 1; case X0 -> 0; case V -> alpha; case U -> 1; };
            for (int i = 0; i < xs.length; i++) {
                for (int d = 0; d < 2; d++) {
                    double x0 = mu[d] + alpha * s * s * (xs[i][d] - alpha * mu[d]) / v;
                    double eps = sigma * (xs[i][d] - alpha * mu[d]) / v;
                    assertEquals(a * x0 + b * eps, out[i][d], 1e-10, kind + " t " + t + " point " + i + " dim " + d);
                }
            }
        }
    }

    /** ring8's velocity oracle on the interpolant against Bayes' rule one point at a time: u = ε̂ − x̂0. */
    @ParameterizedTest
    @ValueSource(doubles = {0.02, 0.5, 0.9})
    void ring8VelocityOracleEqualsScalarBayesRule(double t) {
        LinearInterpolant path = LinearInterpolant.defaults();
        GaussianMixture ring = ToyDataset.RING8.mixture();
        INDArray x = new Noise(2, DataType.DOUBLE).normal(200, 2).muli(1.5);
        double[][] xs = x.toDoubleMatrix();
        double[][] actual = ring.oracle(path, Parameterization.U).predict(x, t, null).toDoubleMatrix();
        double[][] eps = scalarBayes(ring, path, xs, t);
        double alpha = path.alpha(t), sigma = path.sigma(t);
        for (int i = 0; i < xs.length; i++) {
            for (int d = 0; d < 2; d++) {
                double x0 = (xs[i][d] - sigma * eps[i][d]) / alpha;
                assertEquals(eps[i][d] - x0, actual[i][d], 1e-8, "point " + i + " dim " + d);
            }
        }
    }

    @Test
    void floatInputGivesFloatOutputCloseToDoubleReference() {
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        GaussianMixture spiral = ToyDataset.SPIRAL.mixture();
        INDArray x = new Noise(3, DataType.FLOAT).normal(300, 2).muli(1.5f);
        for (double t : new double[] {0.001, 0.1, 0.6}) {
            INDArray eps = spiral.oracle(schedule).predict(x, t, null);
            assertEquals(DataType.FLOAT, eps.dataType());
            double[][] expected = scalarBayes(spiral, schedule, x.castTo(DataType.DOUBLE).toDoubleMatrix(), t);
            double[][] actual = eps.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual[i], 2e-3, "t " + t + " point " + i);
            }
        }
    }

    @Test
    void oracleNoiseIsUncorrelatedWithAnyFunctionOfXt() {
        // E[(ε − E[ε|x_t])·g(x_t)] = 0 for every g: checked for g = 1, x, y, x², sin(3y) on
        // 100k fresh (x0, ε) pairs, to 5 standard errors.
        NoiseSchedule schedule = NoiseSchedule.cosine();
        double t = 0.35;
        int n = 100_000;
        Noise noise = new Noise(4, DataType.DOUBLE);
        INDArray x0 = ToyDataset.RING8.sample(n, noise);
        INDArray epsTrue = noise.normal(n, 2);
        INDArray xt = schedule.addNoise(x0, epsTrue, t);
        double[] residual = epsTrue.sub(ToyDataset.RING8.mixture().oracle(schedule).predict(xt, t, null))
                .dup('c').data().asDouble();
        double[] xs = xt.dup('c').data().asDouble();
        java.util.List<java.util.function.ToDoubleFunction<double[]>> gs = java.util.List.of(
                p -> 1, p -> p[0], p -> p[1], p -> p[0] * p[0], p -> Math.sin(3 * p[1]));
        for (int g = 0; g < gs.size(); g++) {
            for (int d = 0; d < 2; d++) {
                double sum = 0, sumSq = 0;
                for (int i = 0; i < n; i++) {
                    double[] p = {xs[2 * i], xs[2 * i + 1]};
                    double v = residual[2 * i + d] * gs.get(g).applyAsDouble(p);
                    sum += v;
                    sumSq += v * v;
                }
                double mean = sum / n, se = Math.sqrt((sumSq / n - mean * mean) / n);
                assertTrue(Math.abs(mean) < 5 * se, "g %d dim %d: mean %s, se %s".formatted(g, d, mean, se));
            }
        }
    }

    @Test
    void classLabelSelectsOneModeAndNullClassMeansWholeMixture() {
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        GaussianMixture ring = ToyDataset.RING8.mixture();
        Denoiser oracle = ring.oracle(schedule);
        assertEquals(8, oracle.nullClass());
        assertEquals(8, oracle.numClasses());
        assertEquals(Parameterization.EPS, oracle.parameterization());
        double t = 0.4, alpha = schedule.alpha(t), sigma = schedule.sigma(t), s = 0.15;
        INDArray x = new Noise(5, DataType.DOUBLE).normal(16, 2);
        INDArray labels = Nd4j.createFromArray(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 3, 3, 0, 7, 8, 1});
        double[][] eps = oracle.predict(x, t, labels).toDoubleMatrix();
        double[][] whole = oracle.predict(x, t, null).toDoubleMatrix();
        double[][] xs = x.toDoubleMatrix();
        for (int i = 0; i < 16; i++) {
            int k = (int) labels.getDouble(i);
            if (k == 8) {
                assertArrayEquals(whole[i], eps[i], 1e-12);
                continue;
            }
            double[] mu = ring.mean(k);
            for (int d = 0; d < 2; d++) {
                double expected = sigma * (xs[i][d] - alpha * mu[d]) / (alpha * alpha * s * s + sigma * sigma);
                assertEquals(expected, eps[i][d], 1e-10);
            }
        }
    }

    @Test
    void badInputsAreRejectedWithTheirValues() {
        Denoiser oracle = ToyDataset.RING8.mixture().oracle(NoiseSchedule.ddpm());
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> oracle.predict(x, 0.5, Nd4j.createFromArray(new float[] {1, 9})));
        assertTrue(e.getMessage().contains("9.0") && e.getMessage().contains("[0, 8]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> oracle.predict(Nd4j.zeros(DataType.FLOAT, 2, 3), 0.5, null));
        assertThrows(IllegalArgumentException.class,
                () -> oracle.predict(x, 0.5, Nd4j.createFromArray(new float[] {1, 2, 3})));
    }

    /** E[ε | x] = (x − α·E[x0 | x])/σ with E[x0 | x] by Bayes' rule, one point at a time. */
    static double[][] scalarBayes(GaussianMixture m, GaussianPath schedule, double[][] x, double t) {
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        double[][] out = new double[x.length][2];
        for (int i = 0; i < x.length; i++) {
            double[] logDensity = new double[m.components()];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m.components(); k++) {
                double v = alpha * alpha * m.std(k) * m.std(k) + sigma * sigma;
                double dx = x[i][0] - alpha * m.mean(k)[0], dy = x[i][1] - alpha * m.mean(k)[1];
                logDensity[k] = Math.log(m.weight(k)) - Math.log(2 * Math.PI * v) - (dx * dx + dy * dy) / (2 * v);
                max = Math.max(max, logDensity[k]);
            }
            double norm = 0, ex = 0, ey = 0;
            for (int k = 0; k < m.components(); k++) {
                double r = Math.exp(logDensity[k] - max);
                double v = alpha * alpha * m.std(k) * m.std(k) + sigma * sigma;
                double gain = alpha * m.std(k) * m.std(k) / v;
                double[] mu = m.mean(k);
                ex += r * (mu[0] + gain * (x[i][0] - alpha * mu[0]));
                ey += r * (mu[1] + gain * (x[i][1] - alpha * mu[1]));
                norm += r;
            }
            out[i][0] = (x[i][0] - alpha * ex / norm) / sigma;
            out[i][1] = (x[i][1] - alpha * ey / norm) / sigma;
        }
        return out;
    }
}
