package org.diffusionplayground.model.sampling.tokens;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact masked-diffusion model of toy data whose L positions are independent, position l
 * holding token k with probability π[l][k]. Masking hides each position independently of its
 * value, so given z_t a masked position's clean token is distributed as π[l] whatever the others
 * show: x_θ = π[l] exactly (logits log π). An unmasked position is its own clean token (logit 0,
 * the others −∞). The mask's own logit is set high on purpose: a sampler must ignore it.
 */
final class IndependentTokens implements TokenModel {

    static final float MASK_LOGIT = 10f;

    private final double[][] pi;
    private final int mask;
    private final List<Double> times = new ArrayList<>();

    /** @param pi π[l][k] over the tokens 0…K−1; the mask is token K */
    IndependentTokens(double[][] pi) {
        this.pi = pi;
        this.mask = pi[0].length;
    }

    @Override
    public INDArray logits(INDArray tokens, double t) {
        times.add(t);
        int b = (int) tokens.size(0), l = (int) tokens.size(1), v = vocabularySize();
        int[] z = tokens.castTo(DataType.INT32).dup('c').data().asInt();
        float[] out = new float[b * l * v];
        for (int i = 0; i < z.length; i++) {
            int position = i % l;
            for (int k = 0; k < mask; k++) {
                out[i * v + k] = z[i] == mask ? (float) Math.log(pi[position][k])
                        : z[i] == k ? 0f : Float.NEGATIVE_INFINITY;
            }
            out[i * v + mask] = MASK_LOGIT;
        }
        return Nd4j.create(out, new long[] {b, l, v}, 'c');
    }

    /** The t of every call so far. */
    List<Double> times() {
        return List.copyOf(times);
    }

    @Override public int vocabularySize() { return mask + 1; }

    @Override public int maskToken() { return mask; }
}
