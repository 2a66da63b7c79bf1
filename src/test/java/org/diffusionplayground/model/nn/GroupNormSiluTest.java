package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused GroupNorm/SiLU kernel against the definition, computed here in double: its forward
 * values, its gradient (against central differences of the double definition) and its sigmoid.
 */
class GroupNormSiluTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure(); // the inputs come from ND4J's RNG
    }

    private static final int B = 2, C = 6, P = 10, GROUPS = 3, N = B * C * P;

    /** silu(γ·(x + s − μ)/σ + β) per group of each sample, straight from Wu &amp; He 2018, eq. 1–2. */
    static double[] reference(double[] x, double[] shift, double[] gamma, double[] beta) {
        int per = C / GROUPS;
        double[] y = new double[x.length];
        for (int i = 0; i < B; i++) {
            for (int g = 0; g < GROUPS; g++) {
                double sum = 0, sq = 0;
                for (int j = g * per; j < (g + 1) * per; j++) {
                    for (int k = 0; k < P; k++) sum += x[(i * C + j) * P + k] + shift[i * C + j];
                }
                double mean = sum / (per * P);
                for (int j = g * per; j < (g + 1) * per; j++) {
                    for (int k = 0; k < P; k++) sq += Math.pow(x[(i * C + j) * P + k] + shift[i * C + j] - mean, 2);
                }
                double std = Math.sqrt(sq / (per * P));
                for (int j = g * per; j < (g + 1) * per; j++) {
                    for (int k = 0; k < P; k++) {
                        int at = (i * C + j) * P + k;
                        double z = gamma[j] * (x[at] + shift[i * C + j] - mean) / std + beta[j];
                        y[at] = z / (1 + Math.exp(-z));
                    }
                }
            }
        }
        return y;
    }

    private final Noise noise = new Noise(9);
    private final double[] x = noise.normal(N).muli(3).addi(1).toDoubleVector();
    private final double[] shift = noise.normal(B * C).toDoubleVector();
    private final double[] gamma = noise.normal(C).addi(1).toDoubleVector(), beta = noise.normal(C).toDoubleVector();
    private final double[] r = noise.normal(N).toDoubleVector();

    @Test
    void forwardMatchesTheDefinition() {
        float[] y = new float[N];
        GroupNormSilu.apply(floats(x), 0, B, C, P, GROUPS, floats(shift), floats(gamma), floats(beta), true, y);
        double[] expected = reference(x, shift, gamma, beta);
        for (int i = 0; i < N; i++) assertEquals(expected[i], y[i], 2e-6, "at " + i);
    }

    @Test
    void gradientsMatchCentralDifferencesOfTheDefinition() {
        float[] dx = floats(r), dGamma = new float[C], dBeta = new float[C], dShift = new float[B * C];
        GroupNormSilu.backward(floats(x), dx, 0, B, C, P, GROUPS, floats(shift), floats(gamma), floats(beta), true, dx,
                dGamma, dBeta, dShift);
        assertGradient(x, dx, "dx");
        assertGradient(gamma, dGamma, "dγ");
        assertGradient(beta, dBeta, "dβ");
        assertGradient(shift, dShift, "dshift");
    }

    /** Each entry of {@code ours} against (f(v + h) − f(v − h))/2h for f = Σ r·y, varying {@code v} in place. */
    private void assertGradient(double[] v, float[] ours, String what) {
        double h = 1e-6;
        for (int i = 0; i < v.length; i++) {
            double kept = v[i];
            v[i] = kept + h;
            double plus = objective();
            v[i] = kept - h;
            double minus = objective();
            v[i] = kept;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, ours[i], 2e-4 * (1 + Math.abs(numeric)), what + "[" + i + "]");
        }
    }

    private double objective() {
        double[] y = reference(x, shift, gamma, beta);
        double total = 0;
        for (int i = 0; i < N; i++) total += r[i] * y[i];
        return total;
    }

    @Test
    void sigmoidApproximationIsWithinFloatPrecisionOfTheExactOne() {
        double worst = 0;
        for (int i = -400_000; i <= 400_000; i++) {
            float z = i * 5e-4f; // −200 … 200
            double exact = 1 / (1 + Math.exp(-(double) z));
            worst = Math.max(worst, Math.abs(GroupNormSilu.sigmoid(z) - exact));
        }
        assertTrue(worst < 3e-7, "max |σ̃ − σ| = " + worst);
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
