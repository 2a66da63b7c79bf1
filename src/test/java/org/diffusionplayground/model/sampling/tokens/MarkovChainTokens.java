package org.diffusionplayground.model.sampling.tokens;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact left-to-right model of a first-order Markov chain over K tokens: x_0 ~ π0, x_i ~ T[x_{i−1}].
 * Position i's logits are log π0 (i = 0) or log T[x_{i−1}] — they read only the token before, so
 * the model is causal. Where that token is not yet written ([M] = K) the logits are uniform (never
 * drawn from by a correct sampler); the [M] logit itself is set high on purpose: a sampler must
 * never write [M]. t is ignored.
 */
final class MarkovChainTokens implements TokenModel {

    static final float MASK_LOGIT = 10f;

    final double[] start;
    final double[][] next;
    private final int k;

    MarkovChainTokens(double[] start, double[][] next) {
        this.start = start;
        this.next = next;
        this.k = start.length;
    }

    /** P(x_i = b) at position i: π0·Tⁱ. */
    double[] marginal(int position) {
        double[] p = start.clone();
        for (int i = 0; i < position; i++) {
            double[] q = new double[k];
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) q[b] += p[a] * next[a][b];
            p = q;
        }
        return p;
    }

    @Override
    public INDArray logits(INDArray tokens, double t) {
        int b = (int) tokens.size(0), l = (int) tokens.size(1), v = vocabularySize();
        int[] z = tokens.castTo(DataType.INT32).dup('c').data().asInt();
        float[] out = new float[b * l * v];
        for (int r = 0; r < b * l; r++) {
            int i = r % l, before = i == 0 ? -1 : z[r - 1];
            for (int c = 0; c < k; c++) {
                out[r * v + c] = i == 0 ? (float) Math.log(start[c]) : before == k ? 0f : (float) Math.log(next[before][c]);
            }
            out[r * v + k] = MASK_LOGIT;
        }
        return Nd4j.create(out, new long[] {b, l, v}, 'c');
    }

    @Override public int vocabularySize() { return k + 1; }

    @Override public int maskToken() { return k; }

    @Override public boolean autoregressive() { return true; }
}
