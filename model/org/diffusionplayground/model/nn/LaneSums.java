package org.diffusionplayground.model.nn;

import java.util.Arrays;

/**
 * Sums over a stretch of a float array that HotSpot vectorises: the values are added into
 * {@link #LANES} independent partial sums (a float reduction in one accumulator must keep its order,
 * so it runs one element at a time), then combined in double. The reductions of the hand-written
 * kernels over a row of contiguous values — LayerNorm's moments and its gradient's means — are written once
 * here. (GroupNorm, in NHWC, sums each channel across pixels instead: {@link GroupNormSilu}.)
 */
public final class LaneSums {

    /** Independent partial sums: wide enough for two AVX2 vectors, short for 7×7 maps. */
    public static final int LANES = 16;

    private LaneSums() {
    }

    /** Σ v[o … o+n); {@code lanes} holds ≥ LANES floats of scratch. */
    public static double sum(float[] v, int o, int n, float[] lanes) {
        Arrays.fill(lanes, 0, LANES, 0f);
        int p = 0;
        for (; p + LANES <= n; p += LANES) {
            for (int l = 0; l < LANES; l++) lanes[l] += v[o + p + l];
        }
        double sum = 0;
        for (; p < n; p++) sum += v[o + p];
        for (int l = 0; l < LANES; l++) sum += lanes[l];
        return sum;
    }

    /** Σ a[ao + i]·b[bo + i] for i &lt; n; {@code lanes} holds ≥ LANES floats of scratch. */
    public static double dot(float[] a, int ao, float[] b, int bo, int n, float[] lanes) {
        Arrays.fill(lanes, 0, LANES, 0f);
        int p = 0;
        for (; p + LANES <= n; p += LANES) {
            for (int l = 0; l < LANES; l++) lanes[l] += a[ao + p + l] * b[bo + p + l];
        }
        double sum = 0;
        for (; p < n; p++) sum += (double) a[ao + p] * b[bo + p];
        for (int l = 0; l < LANES; l++) sum += lanes[l];
        return sum;
    }

    /**
     * Σ(x − K) and Σ(x − K)² over x[o … o+n) with K = x[o], into out[0], out[1]: shifted sums, so
     * that E[d²] − E[d]² does not cancel when the values sit far from 0. {@code lanes} holds ≥ 2·LANES
     * floats of scratch.
     */
    public static void shifted(float[] x, int o, int n, float[] lanes, double[] out) {
        float k = x[o];
        Arrays.fill(lanes, 0, 2 * LANES, 0f);
        int p = 0;
        for (; p + LANES <= n; p += LANES) {
            for (int l = 0; l < LANES; l++) {
                float d = x[o + p + l] - k;
                lanes[l] += d;
                lanes[LANES + l] += d * d;
            }
        }
        double sd = 0, sdd = 0;
        for (; p < n; p++) {
            float d = x[o + p] - k;
            sd += d;
            sdd += d * d;
        }
        for (int l = 0; l < LANES; l++) {
            sd += lanes[l];
            sdd += lanes[LANES + l];
        }
        out[0] = sd;
        out[1] = sdd;
    }
}
