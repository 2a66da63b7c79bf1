package org.diffusionplayground.model.nn.transformer;

import java.nio.FloatBuffer;
import org.diffusionplayground.model.nn.GroupNormSilu;
import org.diffusionplayground.model.nn.LaneSums;

/**
 * The element-wise steps of the DDiT between its matrix products, and their gradients, as plain
 * loops over row-major arrays: LayerNorm with adaLN modulation, the gated residual, GELU, SiLU,
 * and the head split of attention. Shapes: N = B·L rows of width d; a batch
 * row's ada vector holds its (shift, scale, gate) chunks of width d side by side. The row loops
 * read and write rows staged at index 0 (copied in and out with {@code System.arraycopy}) beside the
 * per-batch-row coefficients: JDK 17's C2 vectorises a loop only when all its arrays share one index
 * expression, and x[o + c] beside ada[scale + c] ran one element at a time.
 */
final class DDiTKernels {

    private DDiTKernels() {
    }

    /** Where a batch row's modulation lives: its ada array [B, chunks·d] and the chunk indices. */
    record Modulation(float[] ada, int chunks, int shift, int scale) {
    }

    /**
     * y = x̂ ⊙ (1 + scale_b) + shift_b with x̂ = (x − mean)/√(var + ε) over each row of x [B·L, d]
     * (Ba et al. 2016, "Layer normalization", eq. 4, without affine parameters; Peebles &amp; Xie
     * 2023, "Scalable diffusion models with transformers", §3.2: adaLN). Keeps x̂ and 1/√(var + ε).
     */
    static void normModulate(float[] x, int b, int l, int d, Modulation m, float[] xhat, float[] rstd, float[] y) {
        float[] xr = new float[d], nr = new float[d], yr = new float[d], scale = new float[d], shift = new float[d];
        double[] sums = new double[2];
        for (int j = 0; j < b; j++) {
            onePlus(m.ada(), (j * m.chunks() + m.scale()) * d, scale);
            System.arraycopy(m.ada(), (j * m.chunks() + m.shift()) * d, shift, 0, d);
            for (int i = 0; i < l; i++) {
                int row = j * l + i, o = row * d;
                System.arraycopy(x, o, xr, 0, d);
                LaneSums.shifted(xr, 0, d, sums); // about K = x[o]
                double dMean = sums[0] / d, var = Math.max(0.0, sums[1] / d - dMean * dMean);
                float r = (float) (1 / Math.sqrt(var + DDiTGraph.LN_EPS)), mu = (float) (xr[0] + dMean);
                rstd[row] = r;
                for (int c = 0; c < d; c++) {
                    float n = (xr[c] - mu) * r;
                    nr[c] = n;
                    yr[c] = n * scale[c] + shift[c];
                }
                System.arraycopy(nr, 0, xhat, o, d);
                System.arraycopy(yr, 0, y, o, d);
            }
        }
    }

    /** to[c] = 1 + ada[from + c]: the (1 + scale) of adaLN. */
    private static void onePlus(float[] ada, int from, float[] to) {
        System.arraycopy(ada, from, to, 0, to.length);
        for (int c = 0; c < to.length; c++) to[c] += 1;
    }

    /**
     * The gradient of {@link #normModulate}: adds Σ_i dy and Σ_i dy ⊙ x̂ to the shift and scale
     * chunks of dAda [B, chunks·d], and adds dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ (1 +
     * scale), to dx.
     */
    static void normModulateBackward(float[] dy, int b, int l, int d, Modulation m, float[] xhat, float[] rstd,
                                     float[] dAda, float[] dx) {
        float[] g = new float[d], dyr = new float[d], nr = new float[d], dxr = new float[d], scale = new float[d];
        float[] dShift = new float[d], dScale = new float[d];
        for (int j = 0; j < b; j++) {
            int shiftAt = (j * m.chunks() + m.shift()) * d, scaleAt = (j * m.chunks() + m.scale()) * d;
            onePlus(m.ada(), scaleAt, scale);
            java.util.Arrays.fill(dShift, 0f);
            java.util.Arrays.fill(dScale, 0f);
            for (int i = 0; i < l; i++) {
                int row = j * l + i, o = row * d;
                System.arraycopy(dy, o, dyr, 0, d);
                System.arraycopy(xhat, o, nr, 0, d);
                System.arraycopy(dx, o, dxr, 0, d);
                for (int c = 0; c < d; c++) {
                    float dyc = dyr[c];
                    dShift[c] += dyc;
                    dScale[c] += dyc * nr[c];
                    g[c] = dyc * scale[c];
                }
                float a = (float) (LaneSums.sum(g, 0, d) / d), bx = (float) (LaneSums.dot(g, 0, nr, 0, d) / d);
                float r = rstd[row];
                for (int c = 0; c < d; c++) dxr[c] += r * (g[c] - a - nr[c] * bx);
                System.arraycopy(dxr, 0, dx, o, d);
            }
            for (int c = 0; c < d; c++) {
                dAda[shiftAt + c] += dShift[c];
                dAda[scaleAt + c] += dScale[c];
            }
        }
    }

    /** h += gate_b ⊙ y (the gated residual of adaLN-Zero), gate the chunk {@code gate} of ada. */
    static void gatedAdd(float[] h, float[] y, int b, int l, int d, float[] ada, int chunks, int gate) {
        float[] gt = new float[d], hr = new float[d], yr = new float[d];
        for (int j = 0; j < b; j++) {
            System.arraycopy(ada, (j * chunks + gate) * d, gt, 0, d);
            for (int i = 0; i < l; i++) {
                int o = (j * l + i) * d;
                System.arraycopy(h, o, hr, 0, d);
                System.arraycopy(y, o, yr, 0, d);
                for (int c = 0; c < d; c++) hr[c] += gt[c] * yr[c];
                System.arraycopy(hr, 0, h, o, d);
            }
        }
    }

    /** The gradient of {@link #gatedAdd} given dh: dGate += Σ_i dh ⊙ y (into dAda), dy = dh ⊙ gate. */
    static void gatedAddBackward(float[] dh, float[] y, int b, int l, int d, float[] ada, int chunks, int gate,
                                 float[] dAda, float[] dy) {
        float[] gt = new float[d], dGate = new float[d], dhr = new float[d], yr = new float[d], dyr = new float[d];
        for (int j = 0; j < b; j++) {
            int g = (j * chunks + gate) * d;
            System.arraycopy(ada, g, gt, 0, d);
            java.util.Arrays.fill(dGate, 0f);
            for (int i = 0; i < l; i++) {
                int o = (j * l + i) * d;
                System.arraycopy(dh, o, dhr, 0, d);
                System.arraycopy(y, o, yr, 0, d);
                for (int c = 0; c < d; c++) {
                    dGate[c] += dhr[c] * yr[c];
                    dyr[c] = dhr[c] * gt[c];
                }
                System.arraycopy(dyr, 0, dy, o, d);
            }
            for (int c = 0; c < d; c++) dAda[g + c] += dGate[c];
        }
    }

    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI), GELU_A = 0.044715f;

    /**
     * GELU, tanh form (Hendrycks &amp; Gimpel 2016, "Gaussian error linear units", §2):
     * ½x(1 + tanh u) with u = √(2/π)(x + 0.044715x³), computed as x·σ(2u) (the same function,
     * ½(1 + tanh u) = σ(2u)) with the rational sigmoid of {@link GroupNormSilu#sigmoid}, which
     * HotSpot vectorises ({@code Math.tanh} cost 45 ns a call here), on the first n values.
     */
    static void gelu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            y[i] = v * GroupNormSilu.sigmoid(2 * GELU_C * (v + GELU_A * v * v * v));
        }
    }

    /** dx = dy ⊙ GELU′(x), GELU′ = s + 2x·s(1 − s)·√(2/π)(1 + 3·0.044715x²) with s = σ(2u), in place in dy. */
    static void geluBackward(float[] x, float[] dy, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i], s = GroupNormSilu.sigmoid(2 * GELU_C * (v + GELU_A * v * v * v));
            dy[i] *= s + 2 * v * s * (1 - s) * GELU_C * (1 + 3 * GELU_A * v * v);
        }
    }

    /** SiLU x·σ(x) (Elfwing et al. 2018; "swish"), into a fresh array. */
    static float[] silu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
        return y;
    }

    /** dy ⊙ SiLU′(x), SiLU′ = σ(x)·(1 + x·(1 − σ(x))), into a fresh array. */
    static float[] siluBackward(float[] x, float[] dy) {
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            dx[i] = (float) (dy[i] * s * (1 + x[i] * (1 - s)));
        }
        return dx;
    }

    /**
     * Copies columns [column, column + d) of {@code rows} [B·L, width] into heads [B·H, L, dh]:
     * column column + h·dh + e of row (b, i) is element (b·H + h, i, e), the layout's column order
     * (for qkv [B·L, 3d], part p of q | k | v starts at column p·d).
     */
    static void splitHeads(float[] rows, int width, int column, int b, int l, int heads, int dh, float[] out) {
        for (int j = 0; j < b; j++) {
            for (int h = 0; h < heads; h++) {
                int dst = (j * heads + h) * l * dh;
                for (int i = 0; i < l; i++) {
                    System.arraycopy(rows, (j * l + i) * width + column + h * dh, out, dst + i * dh, dh);
                }
            }
        }
    }

    /** The inverse of {@link #splitHeads}: heads [B·H, L, dh] into columns of {@code rows} [B·L, width] at {@code column}. */
    static void mergeHeads(float[] in, int b, int l, int heads, int dh, float[] rows, int width, int column) {
        for (int j = 0; j < b; j++) {
            for (int h = 0; h < heads; h++) {
                int src = (j * heads + h) * l * dh;
                for (int i = 0; i < l; i++) {
                    System.arraycopy(in, src + i * dh, rows, (j * l + i) * width + column + h * dh, dh);
                }
            }
        }
    }

    /** Causal masking of scores [n, L, L] in place: −∞ where key j &gt; query i (Vaswani et al. 2017, §3.2.3). */
    static void maskFuture(FloatBuffer scores, int n, int l) {
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < l - 1; i++) {
                int row = (m * l + i) * l;
                for (int j = i + 1; j < l; j++) scores.put(row + j, Float.NEGATIVE_INFINITY);
            }
        }
    }
}
