package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every {@link GaussianPath} against its definitions: derivatives by finite differences, λ and
 * its inverse, the forward SDE's f and g², the posterior by Gaussian conditioning, and spacings
 * on the linear interpolant (where λ(1) = −∞).
 */
class GaussianPathTest {

    private static final LinearInterpolant INTERPOLANT = LinearInterpolant.defaults();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static Stream<GaussianPath> paths() {
        return Stream.of(NoiseSchedule.ddpm(), NoiseSchedule.cosine(), NoiseSchedule.shiftedCosine(0),
                NoiseSchedule.shiftedCosine(-1.5), NoiseSchedule.vp(), INTERPOLANT);
    }

    /** Central differences inside one cell of the discrete schedules' 1/T grid (log ᾱ is piecewise linear). */
    @ParameterizedTest
    @MethodSource("paths")
    void derivativesAreTheTimeDerivativesOfAlphaAndSigma(GaussianPath path) {
        double h = 1e-7;
        for (double t : new double[] {0.01234, 0.12345, 0.45678, 0.78901, 0.98765}) {
            double dAlpha = (path.alpha(t + h) - path.alpha(t - h)) / (2 * h);
            double dSigma = (path.sigma(t + h) - path.sigma(t - h)) / (2 * h);
            assertEquals(dAlpha, path.alphaPrime(t), 1e-6 * Math.max(1, Math.abs(dAlpha)), path + " α' at " + t);
            assertEquals(dSigma, path.sigmaPrime(t), 1e-6 * Math.max(1, Math.abs(dSigma)), path + " σ' at " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void logSnrIsLogOfAlphaSquaredOverSigmaSquaredAndInverts(GaussianPath path) {
        for (double t : new double[] {0.001, 0.1, 0.5, 0.9, 0.999}) {
            double alpha = path.alpha(t), sigma = path.sigma(t);
            assertEquals(Math.log(alpha * alpha / (sigma * sigma)), path.logSnr(t), 1e-9, path + " at " + t);
            assertEquals(t, path.timeOfLogSnr(path.logSnr(t)), 1e-9, path + " inverse at " + t);
        }
        assertTrue(path.logSnr(0) >= 13.5, path + ": λ(0) = " + path.logSnr(0)); // +∞, or 15 + shift
    }

    @Test
    void theInterpolantIsPureNoiseAtOneAndItsInverseIsClosedForm() {
        assertEquals(0, INTERPOLANT.alpha(1));
        assertEquals(Double.NEGATIVE_INFINITY, INTERPOLANT.logSnr(1));
        assertEquals(1, INTERPOLANT.timeOfLogSnr(Double.NEGATIVE_INFINITY));
        assertEquals(0, INTERPOLANT.timeOfLogSnr(Double.POSITIVE_INFINITY));
        // the interface's default, bisection, agrees with the closed form t = 1/(1 + e^{λ/2})
        GaussianPath bisected = new GaussianPath() {
            @Override public String name() { return "bisected"; }
            @Override public int steps() { return 1000; }
            @Override public double alpha(double t) { return INTERPOLANT.alpha(t); }
            @Override public double sigma(double t) { return INTERPOLANT.sigma(t); }
            @Override public double alphaPrime(double t) { return -1; }
            @Override public double sigmaPrime(double t) { return 1; }
        };
        for (double lambda : new double[] {-12, -3, 0, 2.5, 12}) {
            assertEquals(INTERPOLANT.timeOfLogSnr(lambda), bisected.timeOfLogSnr(lambda), 1e-12, "λ = " + lambda);
        }
        INDArray x0 = new Noise(1, DataType.DOUBLE).normal(3, 2), eps = new Noise(2, DataType.DOUBLE).normal(3, 2);
        INDArray expected = x0.mul(0.7).add(eps.mul(0.3));
        assertEquals(0, INTERPOLANT.addNoise(x0, eps, 0.3).sub(expected).amaxNumber().doubleValue(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LinearInterpolant(1));
        assertThrows(IllegalArgumentException.class, () -> INTERPOLANT.alpha(1.5));
    }

    /**
     * f = d log α/dt and g² = dσ²/dt − 2fσ²: the VP SDE's −½β and β; −1/(1 − t) and
     * 2t/(1 − t) on the interpolant.
     */
    @Test
    void forwardSdeCoefficientsAreTheVpSdesAndClosedFormOnTheInterpolant() {
        for (NoiseSchedule vp : new NoiseSchedule[] {NoiseSchedule.ddpm(), NoiseSchedule.cosine(), NoiseSchedule.vp()}) {
            for (double t : new double[] {0.05, 0.5, 0.95}) {
                Coefficients c = vp.coefficients(t);
                assertEquals(-0.5 * vp.betaRate(t), c.drift(), 1e-12 * vp.betaRate(t), vp + " f at " + t);
                assertEquals(vp.betaRate(t), c.diffusionSquared(), 1e-12 * vp.betaRate(t), vp + " g² at " + t);
            }
        }
        for (double t : new double[] {0.05, 0.5, 0.95}) {
            Coefficients c = INTERPOLANT.coefficients(t);
            assertEquals(-1 / (1 - t), c.drift(), 1e-12, "f at " + t);
            assertEquals(2 * t / (1 - t), c.diffusionSquared(), 1e-12, "g² at " + t);
        }
    }

    /**
     * q(x_s | x_t, x0) by conditioning the joint Gaussian of (x_s, x_t) given x0:
     * Var x_t = σ_t², Cov(x_s, x_t) = α_{t|s}·σ_s² (x_t = α_{t|s}·x_s + σ_{t|s}·ξ), so
     * mean = α_s·x0 + (α_{t|s}σ_s²/σ_t²)·(x_t − α_t·x0), variance = σ_s² − α_{t|s}²σ_s⁴/σ_t².
     */
    @ParameterizedTest
    @MethodSource("paths")
    void posteriorIsTheGaussianConditionalOfTheForwardProcess(GaussianPath path) {
        double[][] pairs = {{0.9, 0.5}, {0.5, 0.45}, {0.2, 0.01}, {1.0, 0.7}};
        for (double[] pair : pairs) {
            double t = pair[0], s = pair[1];
            double alphaT = path.alpha(t), alphaS = path.alpha(s), sigmaT = path.sigma(t), sigmaS = path.sigma(s);
            double alphaTS = alphaT / alphaS, gain = alphaTS * sigmaS * sigmaS / (sigmaT * sigmaT);
            Posterior p = Posterior.of(path, t, s);
            String where = path + " t = " + t + ", s = " + s;
            assertEquals(alphaS - gain * alphaT, p.coefX0(), 1e-12, where);
            assertEquals(gain, p.coefXt(), 1e-12, where);
            assertEquals(sigmaS * sigmaS - gain * alphaTS * sigmaS * sigmaS, p.variance(), 1e-12, where);
            double transition = sigmaT * sigmaT - alphaTS * alphaTS * sigmaS * sigmaS; // σ²_{t|s}
            assertEquals(transition, Posterior.transitionVariance(path, t, s), 1e-12, where);
        }
    }

    @ParameterizedTest
    @EnumSource(Spacing.class)
    void everySpacingOnTheInterpolantStartsAtOneAndDecreasesStrictly(Spacing spacing) {
        for (int n : new int[] {1, 2, 7, 10, 50, 1000}) {
            double[] times = spacing.times(INTERPOLANT, n);
            assertEquals(n, times.length);
            if (spacing != Spacing.LEADING) assertEquals(1.0, times[0], 0, spacing + " n=" + n);
            for (int k = 0; k < n; k++) {
                assertTrue(times[k] > 0 && times[k] <= 1, spacing + " n=" + n + " k=" + k);
                if (k > 0) assertTrue(times[k] < times[k - 1], spacing + " n=" + n + " k=" + k);
            }
        }
    }

    /** λ(1) = −∞: the uniform λ grid runs from t = 1 − 1/T to 1/T, and the first time is 1. */
    @Test
    void logSnrSpacingOnTheInterpolantIsUniformInLambdaBelowPureNoise() {
        int n = 10;
        double[] times = Spacing.LOGSNR.times(INTERPOLANT, n);
        assertEquals(1.0, times[0], 0);
        assertEquals(INTERPOLANT.timeOf(0), times[n - 1], 0);
        double lambdaStart = INTERPOLANT.logSnr(1 - 1.0 / INTERPOLANT.steps());
        double gap = (INTERPOLANT.logSnr(times[n - 1]) - lambdaStart) / (n - 1);
        for (int k = 1; k < n; k++) {
            assertEquals(lambdaStart + k * gap, INTERPOLANT.logSnr(times[k]), 1e-9, "k = " + k);
        }
    }
}
