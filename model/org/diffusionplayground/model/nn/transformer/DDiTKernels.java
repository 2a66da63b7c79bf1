package org.diffusionplayground.model.nn.transformer;

import java.nio.FloatBuffer;
import org.diffusionplayground.model.nn.GroupNormSilu;
import org.diffusionplayground.model.nn.LaneSums;

/**
 * The element-wise steps of the DDiT between its matrix products, and their gradients, as plain
 * loops over row-major arrays: LayerNorm with adaLN modulation, the gated residual, GELU, SiLU,
 * the head split of attention and the row softmax. Shapes: N = B·L rows of width d; a batch
 * row's ada vector holds its (shift, scale, gate) chunks of width d side by side.
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
        float[] ada = m.ada(), lanes = new float[2 * LaneSums.LANES];
        double[] sums = new double[2];
        for (int j = 0; j < b; j++) {
            int shift = (j * m.chunks() + m.shift()) * d, scale = (j * m.chunks() + m.scale()) * d;
            for (int i = 0; i < l; i++) {
                int row = j * l + i, o = row * d;
                LaneSums.shifted(x, o, d, lanes, sums); // about K = x[o]
                double dMean = sums[0] / d, var = Math.max(0.0, sums[1] / d - dMean * dMean);
                float r = (float) (1 / Math.sqrt(var + DDiTGraph.LN_EPS)), mu = (float) (x[o] + dMean);
                rstd[row] = r;
                for (int c = 0; c < d; c++) {
                    float n = (x[o + c] - mu) * r;
                    xhat[o + c] = n;
                    y[o + c] = n * (1 + ada[scale + c]) + ada[shift + c];
                }
            }
        }
    }

    /**
     * The gradient of {@link #normModulate}: adds Σ_i dy and Σ_i dy ⊙ x̂ to the shift and scale
     * chunks of dAda [B, chunks·d], and adds dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ (1 +
     * scale), to dx.
     */
    static void normModulateBackward(float[] dy, int b, int l, int d, Modulation m, float[] xhat, float[] rstd,
                                     float[] dAda, float[] dx) {
        float[] g = new float[d], ada = m.ada(), lanes = new float[LaneSums.LANES];
        for (int j = 0; j < b; j++) {
            int shift = (j * m.chunks() + m.shift()) * d, scale = (j * m.chunks() + m.scale()) * d;
            for (int i = 0; i < l; i++) {
                int row = j * l + i, o = row * d;
                for (int c = 0; c < d; c++) {
                    float dyc = dy[o + c];
                    dAda[shift + c] += dyc;
                    dAda[scale + c] += dyc * xhat[o + c];
                    g[c] = dyc * (1 + ada[scale + c]);
                }
                float a = (float) (LaneSums.sum(g, 0, d, lanes) / d), bx = (float) (LaneSums.dot(g, 0, xhat, o, d, lanes) / d);
                float r = rstd[row];
                for (int c = 0; c < d; c++) dx[o + c] += r * (g[c] - a - xhat[o + c] * bx);
            }
        }
    }

    /** h += gate_b ⊙ y (the gated residual of adaLN-Zero), gate the chunk {@code gate} of ada. */
    static void gatedAdd(float[] h, float[] y, int b, int l, int d, float[] ada, int chunks, int gate) {
        for (int j = 0; j < b; j++) {
            int g = (j * chunks + gate) * d;
            for (int i = 0; i < l; i++) {
                int o = (j * l + i) * d;
                for (int c = 0; c < d; c++) h[o + c] += ada[g + c] * y[o + c];
            }
        }
    }

    /** The gradient of {@link #gatedAdd} given dh: dGate += Σ_i dh ⊙ y (into dAda), dy = dh ⊙ gate. */
    static void gatedAddBackward(float[] dh, float[] y, int b, int l, int d, float[] ada, int chunks, int gate,
                                 float[] dAda, float[] dy) {
        for (int j = 0; j < b; j++) {
            int g = (j * chunks + gate) * d;
            for (int i = 0; i < l; i++) {
                int o = (j * l + i) * d;
                for (int c = 0; c < d; c++) {
                    dAda[g + c] += dh[o + c] * y[o + c];
                    dy[o + c] = dh[o + c] * ada[g + c];
                }
            }
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

    /** Rows of the score matrices read per piece by {@link #softmaxRows}. */
    private static final int SOFTMAX_ROWS = 16;

    /**
     * The softmax of every row of width n of {@code scores} [rows, n], in place: e^(x − max) / Σ,
     * with the exponential of {@link #expNonPositive}, which HotSpot vectorises (ND4J's softmax,
     * on oneDNN, took 0.9–1.4 ms of the DDiT's 10 ms forward pass at batch 1, measured). No −∞
     * entries: a masked (causal) row keeps ND4J's softmax, whose masked weights are exactly 0.
     */
    static void softmaxRows(FloatBuffer scores, int rows, int n) {
        float[] block = new float[SOFTMAX_ROWS * n], lanes = new float[LaneSums.LANES];
        for (int from = 0; from < rows; from += SOFTMAX_ROWS) {
            int count = Math.min(SOFTMAX_ROWS, rows - from);
            scores.get(from * n, block, 0, count * n);
            for (int r = 0; r < count; r++) {
                int o = r * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = o; j < o + n; j++) max = Math.max(max, block[j]);
                for (int j = o; j < o + n; j++) block[j] = expNonPositive(block[j] - max);
                float inv = (float) (1 / LaneSums.sum(block, o, n, lanes));
                for (int j = o; j < o + n; j++) block[j] *= inv;
            }
            scores.put(from * n, block, 0, count * n);
        }
    }

    /**
     * e^x for x ≤ 0 without {@code Math.exp} (which HotSpot calls one element at a time):
     * e^x = (e^(x/128))^128, the inner exponential from the [4/4] Padé approximant
     * e^y ≈ (1680 + 840y + 180y² + 20y³ + y⁴)/(1680 − 840y + 180y² − 20y³ + y⁴) (truncation error
     * below 10⁻¹¹ for |y| ≤ 0.68), then seven squarings. Each squaring doubles the float rounding
     * already there, so rounding, not the approximant, sets the error: at most 3.2·10⁻⁵ relative over
     * every float in [−87, 0], 1.9·10⁻⁵ on [−20, 0] (measured against {@code Math.exp}), well under
     * what a softmax weight needs. x is held at ≥ −87 first, so the result stays a normal float
     * (e^−87 ≈ 1.6·10⁻³⁸: a softmax weight of 0 to float precision).
     */
    static float expNonPositive(float x) {
        float y = Math.max(x, -87f) * (1f / 128);
        float y2 = y * y, odd = y * (840f + 20f * y2), even = 1680f + y2 * (180f + y2);
        float e = (even + odd) / (even - odd);
        e *= e;
        e *= e;
        e *= e;
        e *= e;
        e *= e;
        e *= e;
        e *= e;
        return e;
    }

    /** The softmax's gradient row by row, in place in dp: dS = P ⊙ (dP − Σ_c P ⊙ dP). */
    static void softmaxBackwardRows(FloatBuffer p, FloatBuffer dp, int rows, int width) {
        float[] pr = new float[width], gr = new float[width];
        for (int r = 0; r < rows; r++) {
            p.get(r * width, pr, 0, width);
            dp.get(r * width, gr, 0, width);
            double dot = 0;
            for (int c = 0; c < width; c++) dot += pr[c] * gr[c];
            float f = (float) dot;
            for (int c = 0; c < width; c++) gr[c] = pr[c] * (gr[c] - f);
            dp.put(r * width, gr, 0, width);
        }
    }
}
