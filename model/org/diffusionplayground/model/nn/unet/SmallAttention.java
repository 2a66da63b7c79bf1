package org.diffusionplayground.model.nn.unet;

/**
 * Single-head self-attention's core, A = softmax(q·kᵀ/√c) over keys and o = A·v (Vaswani et al.
 * 2017, "Attention is all you need", eq. 1), for a few samples as plain loops. At the U-Net's
 * bottleneck (7×7 = 49 positions, 64–128 channels) one sample is ~0.3 M multiply-adds, while ND4J's
 * two batched products and softmax cost ~0.9 ms of dispatch at batch 1 (measured on the reference
 * U-Net); larger batches keep ND4J's ops, whose cost is then the arithmetic.
 *
 * <p>Every inner loop runs along a row (a key row of kᵀ, a row of v), so HotSpot vectorises it.
 */
final class SmallAttention {

    private SmallAttention() {
    }

    /**
     * For q, k, v [B, n, c] flattened: writes A [B, n, n] (rows: queries) into the front of {@code a}
     * and o [B, n, c] into the front of {@code o}; kt: scratch of c·n values.
     */
    static void apply(float[] q, float[] k, float[] v, int b, int n, int c, float[] a, float[] o, float[] kt) {
        java.util.Arrays.fill(a, 0, b * n * n, 0f);
        java.util.Arrays.fill(o, 0, b * n * c, 0f);
        float scale = (float) (1 / Math.sqrt(c));
        for (int s = 0; s < b; s++) {
            int base = s * n * c;
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < c; e++) kt[e * n + j] = k[base + j * c + e];
            }
            for (int i = 0; i < n; i++) {
                int row = (s * n + i) * n;
                for (int e = 0; e < c; e++) { // a[i, ·] += q[i, e]·kᵀ[e, ·]
                    float qe = q[base + i * c + e] * scale;
                    for (int j = 0; j < n; j++) a[row + j] += qe * kt[e * n + j];
                }
                softmax(a, row, n);
                int to = base + i * c;
                for (int j = 0; j < n; j++) { // o[i, ·] += A[i, j]·v[j, ·]
                    float p = a[row + j];
                    for (int e = 0; e < c; e++) o[to + e] += p * v[base + j * c + e];
                }
            }
        }
    }

    /** x[from … from+n) ← softmax, the row's maximum subtracted first. */
    private static void softmax(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) max = Math.max(max, x[j]);
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            x[j] = (float) Math.exp(x[j] - max);
            sum += x[j];
        }
        float inv = (float) (1 / sum);
        for (int j = from; j < from + n; j++) x[j] *= inv;
    }
}
