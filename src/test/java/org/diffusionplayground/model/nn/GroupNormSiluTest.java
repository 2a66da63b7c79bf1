package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused GroupNorm/SiLU kernel against the definition, computed here in double: its forward
 * values, its gradient (against central differences of the double definition) and its sigmoid.
 * The kernel sums each channel in 16 float lanes and the rest one by one, so it is tested at
 * 10 pixels (the one-by-one loop alone), 49 = 3·16 + 1 (7×7: both loops) and 784 = 49·16
 * (28×28: the lanes alone), with and without SiLU (the attention block's norm has none).
 */
class GroupNormSiluTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure(); // the inputs come from ND4J's RNG
    }

    private static final int B = 2, C = 6, GROUPS = 3;

    /** Random inputs for one pixel count: x [B, C, P], shift [B, C], γ, β [C], the gradient weights r [B, C, P]. */
    private static final class Case {
        final int pixels, n;
        final boolean silu;
        final double[] x, shift, gamma, beta, r;

        Case(int pixels, boolean silu) {
            this.pixels = pixels;
            this.n = B * C * pixels;
            this.silu = silu;
            Noise noise = new Noise(9);
            x = noise.normal(n).muli(3).addi(1).toDoubleVector();
            shift = noise.normal(B * C).toDoubleVector();
            gamma = noise.normal(C).addi(1).toDoubleVector();
            beta = noise.normal(C).toDoubleVector();
            r = noise.normal(n).toDoubleVector();
        }

        /**
         * (silu of) γ·(x + s − μ)/σ + β per group of each sample, straight from Wu &amp; He 2018,
         * "Group normalization", eq. 1–2.
         */
        double[] reference() {
            int per = C / GROUPS, p = pixels;
            double[] y = new double[x.length];
            for (int i = 0; i < B; i++) {
                for (int g = 0; g < GROUPS; g++) {
                    double sum = 0, sq = 0;
                    for (int j = g * per; j < (g + 1) * per; j++) {
                        for (int k = 0; k < p; k++) sum += x[(i * C + j) * p + k] + shift[i * C + j];
                    }
                    double mean = sum / (per * p);
                    for (int j = g * per; j < (g + 1) * per; j++) {
                        for (int k = 0; k < p; k++) sq += Math.pow(x[(i * C + j) * p + k] + shift[i * C + j] - mean, 2);
                    }
                    double std = Math.sqrt(sq / (per * p));
                    for (int j = g * per; j < (g + 1) * per; j++) {
                        for (int k = 0; k < p; k++) {
                            int at = (i * C + j) * p + k;
                            double z = gamma[j] * (x[at] + shift[i * C + j] - mean) / std + beta[j];
                            y[at] = silu ? z / (1 + Math.exp(-z)) : z;
                        }
                    }
                }
            }
            return y;
        }

        /** Σ r·y, the scalar whose gradient the kernel's backward pass computes for dL/dy = r. */
        double objective() {
            double[] y = reference();
            double total = 0;
            for (int i = 0; i < n; i++) total += r[i] * y[i];
            return total;
        }
    }

    @ParameterizedTest(name = "{0} pixels, silu {1}")
    @CsvSource({"10, true", "49, true", "784, true", "49, false", "784, false"})
    void forwardMatchesTheDefinition(int pixels, boolean silu) {
        Case c = new Case(pixels, silu);
        float[] y = new float[c.n];
        GroupNormSilu.apply(nhwc(c.x, pixels), 0, B, C, pixels, GROUPS, floats(c.shift), floats(c.gamma), floats(c.beta),
                silu, y);
        y = nchw(y, pixels);
        double[] expected = c.reference();
        for (int i = 0; i < c.n; i++) assertEquals(expected[i], y[i], 2e-6 * (1 + Math.abs(expected[i])), "at " + i);
    }

    @ParameterizedTest(name = "{0} pixels, silu {1}")
    @CsvSource({"10, true", "49, true", "784, true", "49, false", "784, false"})
    void gradientsMatchCentralDifferencesOfTheDefinition(int pixels, boolean silu) {
        Case c = new Case(pixels, silu);
        float[] dx = nhwc(c.r, pixels), dGamma = new float[C], dBeta = new float[C], dShift = new float[B * C];
        GroupNormSilu.backward(nhwc(c.x, pixels), dx, 0, B, C, pixels, GROUPS, floats(c.shift), floats(c.gamma),
                floats(c.beta), silu, dx, dGamma, dBeta, dShift);
        assertGradient(c, c.x, nchw(dx, pixels), probedPixels(pixels), "dx");
        assertGradient(c, c.gamma, dGamma, null, "dγ");
        assertGradient(c, c.beta, dBeta, null, "dβ");
        assertGradient(c, c.shift, dShift, null, "dshift");
    }

    /** The backward pass given the forward pass's kept moments is the one that recomputes them. */
    @ParameterizedTest(name = "{0} pixels")
    @CsvSource({"10", "49", "784"})
    void backwardWithKeptMomentsEqualsBackwardRecomputingThem(int pixels) {
        Case c = new Case(pixels, true);
        float[] x = nhwc(c.x, pixels), shift = floats(c.shift), gamma = floats(c.gamma), beta = floats(c.beta);
        double[] kept = new double[2 * B * GROUPS];
        GroupNormSilu.apply(x, 0, B, C, pixels, GROUPS, shift, gamma, beta, true, new float[c.n], kept);
        float[][] recomputed = backward(c, null), fromKept = backward(c, kept);
        for (int k = 0; k < recomputed.length; k++) assertArrayEquals(recomputed[k], fromKept[k]);
    }

    /**
     * Read and written in place in ND4J arrays (views at an offset inside bigger buffers), the
     * kernel gives the values it gives on Java arrays, bit for bit, forward and backward.
     */
    @ParameterizedTest(name = "{0} pixels")
    @CsvSource({"10", "49", "784"})
    void offHeapStripsGiveTheHeapResults(int pixels) {
        Case c = new Case(pixels, true);
        float[] x = nhwc(c.x, pixels), shift = floats(c.shift), gamma = floats(c.gamma), beta = floats(c.beta);
        float[] y = new float[c.n];
        double[] kept = new double[2 * B * GROUPS], keptOffHeap = new double[2 * B * GROUPS];
        GroupNormSilu.apply(x, 0, B, C, pixels, GROUPS, shift, gamma, beta, true, y, kept);
        INDArray xs = inside(x), ys = inside(new float[c.n]);
        GroupNormSilu.apply(Strip.of(xs), 0, B, C, pixels, GROUPS, shift, gamma, beta, true, Strip.of(ys), keptOffHeap);
        assertArrayEquals(y, ys.toFloatVector());
        assertArrayEquals(kept, keptOffHeap);

        float[][] heap = backward(c, kept);
        INDArray dys = inside(nhwc(c.r, pixels)), dxs = inside(new float[c.n]);
        float[] dGamma = new float[C], dBeta = new float[C], dShift = new float[B * C];
        GroupNormSilu.backward(Strip.of(xs), Strip.of(dys), 0, B, C, pixels, GROUPS, shift, gamma, beta, true, Strip.of(dxs),
                dGamma, dBeta, dShift, kept);
        assertArrayEquals(heap[0], dxs.toFloatVector());
        assertArrayEquals(heap[1], dGamma);
        assertArrayEquals(heap[2], dBeta);
        assertArrayEquals(heap[3], dShift);
        assertArrayEquals(nhwc(c.r, pixels), dys.toFloatVector(), "dy is only read");
    }

    /** v as the middle rows of a bigger ND4J array: a view whose values start at an offset. */
    private static INDArray inside(float[] v) {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 3, v.length);
        whole.getRow(1).assign(Nd4j.createFromArray(v));
        return Views.rows(whole, 1, 2).reshape(v.length);
    }

    private static float[][] backward(Case c, double[] kept) {
        float[] dx = nhwc(c.r, c.pixels), dGamma = new float[C], dBeta = new float[C], dShift = new float[B * C];
        GroupNormSilu.backward(nhwc(c.x, c.pixels), dx, 0, B, C, c.pixels, GROUPS, floats(c.shift), floats(c.gamma),
                floats(c.beta), true, dx, dGamma, dBeta, dShift, kept);
        return new float[][] {dx, dGamma, dBeta, dShift};
    }

    /** v [B, C, P] (the reference's layout) as the kernel's [B, P, C]. */
    private static float[] nhwc(double[] v, int pixels) {
        float[] out = new float[v.length];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < pixels; p++) out[(b * pixels + p) * C + c] = (float) v[(b * C + c) * pixels + p];
            }
        }
        return out;
    }

    /** The kernel's [B, P, C] as [B, C, P]. */
    private static float[] nchw(float[] v, int pixels) {
        float[] out = new float[v.length];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < pixels; p++) out[(b * C + c) * pixels + p] = v[(b * pixels + p) * C + c];
            }
        }
        return out;
    }

    /**
     * The entries of x whose gradient is checked: in every channel of every sample the first two
     * pixels, the first of the second lane block, the middle and the last two (the tail loop's
     * when P is not a multiple of 16) — every entry would take minutes at 784 pixels.
     */
    private static int[] probedPixels(int pixels) {
        TreeSet<Integer> at = new TreeSet<>();
        for (int p : new int[] {0, 1, 16, pixels / 2, pixels - 2, pixels - 1}) {
            if (p < pixels) at.add(p);
        }
        int[] entries = new int[B * C * at.size()];
        int k = 0;
        for (int bc = 0; bc < B * C; bc++) {
            for (int p : at) entries[k++] = bc * pixels + p;
        }
        return entries;
    }

    /**
     * Each probed entry (all if {@code entries} is null) of {@code ours} against
     * (f(v + h) − f(v − h))/2h for f = Σ r·y, varying {@code v} in place.
     */
    private static void assertGradient(Case c, double[] v, float[] ours, int[] entries, String what) {
        double h = 1e-6;
        int count = entries == null ? v.length : entries.length;
        for (int e = 0; e < count; e++) {
            int i = entries == null ? e : entries[e];
            double kept = v[i];
            v[i] = kept + h;
            double plus = c.objective();
            v[i] = kept - h;
            double minus = c.objective();
            v[i] = kept;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, ours[i], 2e-4 * (1 + Math.abs(numeric)), what + "[" + i + "]");
        }
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
