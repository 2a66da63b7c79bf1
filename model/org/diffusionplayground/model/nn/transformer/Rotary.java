package org.diffusionplayground.model.nn.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotary position embedding (Su et al. 2021, "RoFormer: enhanced transformer with rotary position
 * embedding", eq. 34): before the scores q·kᵀ, each head's query and key at position i are rotated,
 * pair by pair, by the angles i·θ_k with θ_k = 10000^(−2k/dh), k = 0 … dh/2 − 1, so that
 * q_i·k_j depends on the offset i − j alone. The pairs are (e, e + dh/2) — the "rotate half"
 * layout of GPT-NeoX, which SEDD's and MDLM's DDiT code use:
 * <pre>
 *   rot_i(x)_e        = x_e·cos(iθ_e) − x_{e+dh/2}·sin(iθ_e)
 *   rot_i(x)_{e+dh/2} = x_e·sin(iθ_e) + x_{e+dh/2}·cos(iθ_e)        e &lt; dh/2
 * </pre>
 * A rotation's gradient is the inverse rotation (by −iθ) of the output's gradient.
 *
 * <p>Why not learned positions (the SEDD notebook's GPT-style wpe): a masked position's own
 * token is unknown, so everything it predicts must come from attention, and random absolute
 * positions give attention no sense of "neighbour" to start from. With them the masked model sat
 * at the unigram bound (3.3 nats/char) for 5,000 steps; with rotary embeddings, which SEDD's DDiT
 * (Lou et al. 2023, App. C) and MDLM's DiT (Sahoo et al. 2024) use, the same recipe left it
 * within a few hundred steps.
 */
final class Rotary {

    /** RoFormer's base (eq. 15). */
    static final double BASE = 10_000;

    private final int length, half;
    private final float[] cos, sin; // [L, dh/2]

    /** The tables for positions 0 … length − 1 and heads of width {@code headWidth} (even). */
    Rotary(int length, int headWidth) {
        if (headWidth < 2 || headWidth % 2 != 0) throw new IllegalArgumentException(
                "rotary embeddings need an even head width, got %d".formatted(headWidth));
        this.length = length;
        this.half = headWidth / 2;
        cos = new float[length * half];
        sin = new float[length * half];
        for (int i = 0; i < length; i++) {
            for (int e = 0; e < half; e++) {
                double angle = i * angle(e, headWidth);
                cos[i * half + e] = (float) Math.cos(angle);
                sin[i * half + e] = (float) Math.sin(angle);
            }
        }
    }

    /** θ_e = BASE^(−2e/dh). */
    static double angle(int e, int headWidth) {
        return Math.pow(BASE, -2.0 * e / headWidth);
    }

    /** Rotates heads [B·H, L, dh] (row-major) in place by +iθ, or by −iθ when {@code inverse} (the gradient). */
    void rotate(float[] heads, int sequences, boolean inverse) {
        int dh = 2 * half;
        float sign = inverse ? -1 : 1;
        for (int s = 0; s < sequences; s++) {
            for (int i = 0; i < length; i++) {
                int row = (s * length + i) * dh, table = i * half;
                for (int e = 0; e < half; e++) {
                    float c = cos[table + e], sn = sign * sin[table + e], a = heads[row + e], b = heads[row + e + half];
                    heads[row + e] = a * c - b * sn;
                    heads[row + e + half] = a * sn + b * c;
                }
            }
        }
    }

    /** cos(iθ) repeated over both halves, [L, dh]: the graph's x ⊙ C + (x·R) ⊙ S. */
    INDArray cosines() {
        return repeated(cos);
    }

    /** sin(iθ) repeated over both halves, [L, dh]. */
    INDArray sines() {
        return repeated(sin);
    }

    /** R [dh, dh] with x·R = (−x_{dh/2…}, x_{0…dh/2}): "rotate half" as a matrix. */
    INDArray rotateHalf() {
        int dh = 2 * half;
        float[] r = new float[dh * dh];
        for (int e = 0; e < half; e++) {
            r[(e + half) * dh + e] = -1; // out_e = −x_{e+half}
            r[e * dh + e + half] = 1;    // out_{e+half} = x_e
        }
        return Nd4j.create(r, new long[] {dh, dh}, 'c');
    }

    private INDArray repeated(float[] table) {
        int dh = 2 * half;
        float[] out = new float[length * dh];
        for (int i = 0; i < length; i++) {
            System.arraycopy(table, i * half, out, i * dh, half);
            System.arraycopy(table, i * half, out, i * dh + half, half);
        }
        return Nd4j.create(out, new long[] {length, dh}, 'c');
    }
}
