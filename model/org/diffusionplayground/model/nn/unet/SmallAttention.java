package org.diffusionplayground.model.nn.unet;

import java.util.Arrays;

/**
 * Single-head self-attention's core, A = softmax(q·kᵀ/√c) over keys and o = A·v (Vaswani et al.
 * 2017, "Attention is all you need", eq. 1), for a few samples as plain loops. At the U-Net's
 * bottleneck (7×7 = 49 positions, 64–128 channels) one sample is ~0.3 M multiply-adds, while ND4J's
 * two batched products and softmax cost ~0.9 ms of dispatch at batch 1 (measured on the reference
 * U-Net); larger batches keep ND4J's ops, whose cost is then the arithmetic.
 *
 * <p>Every inner loop runs along a row held in an array of its own (a row of kᵀ, a row of v) into
 * an accumulator row, both indexed from 0: JDK 17's C2 vectorises a loop only then. Indexed into the
 * flat arrays at different offsets, the same loops ran one element at a time (measured, n = 49,
 * c = 128: 121 against 293 µs a sample). One instance per attention layer: it keeps the rows.
 */
final class SmallAttention {

    private final int n, c;
    /** kᵀ [c][n], v [n][c], one sample's, and one query's score and output rows. */
    private final float[][] kt, vRows;
    private final float[] scores, out;

    SmallAttention(int n, int c) {
        this.n = n;
        this.c = c;
        kt = new float[c][n];
        vRows = new float[n][c];
        scores = new float[n];
        out = new float[c];
    }

    /** For q, k, v [B, n, c] flattened: writes A [B, n, n] (rows: queries) into the front of {@code a} and o [B, n, c] into the front of {@code o}. */
    void apply(float[] q, float[] k, float[] v, int b, float[] a, float[] o) {
        float scale = (float) (1 / Math.sqrt(c));
        for (int s = 0; s < b; s++) {
            int base = s * n * c;
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < c; e++) kt[e][j] = k[base + j * c + e];
                System.arraycopy(v, base + j * c, vRows[j], 0, c);
            }
            for (int i = 0; i < n; i++) {
                Arrays.fill(scores, 0f);
                for (int e = 0; e < c; e++) { // A[i, ·] += q[i, e]·kᵀ[e, ·]
                    float qe = q[base + i * c + e] * scale;
                    float[] row = kt[e];
                    for (int j = 0; j < n; j++) scores[j] += qe * row[j];
                }
                softmax(scores);
                System.arraycopy(scores, 0, a, (s * n + i) * n, n);
                Arrays.fill(out, 0f);
                for (int j = 0; j < n; j++) { // o[i, ·] += A[i, j]·v[j, ·]
                    float p = scores[j];
                    float[] row = vRows[j];
                    for (int e = 0; e < c; e++) out[e] += p * row[e];
                }
                System.arraycopy(out, 0, o, base + i * c, c);
            }
        }
    }

    /** x ← softmax(x), the row's maximum subtracted first. */
    private static void softmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float value : x) max = Math.max(max, value);
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) Math.exp(x[j] - max);
            sum += x[j];
        }
        float inv = (float) (1 / sum);
        for (int j = 0; j < x.length; j++) x[j] *= inv;
    }
}
