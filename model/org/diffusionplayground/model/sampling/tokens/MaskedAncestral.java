package org.diffusionplayground.model.sampling.tokens;

import java.util.Arrays;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ancestral sampling of masked (absorbing-state) diffusion — MDLM, Sahoo et al. 2024, "Simple and
 * effective masked diffusion language models", eq. 7 with the clean tokens replaced by the
 * model's x_θ (the SUBS parameterisation: a token, once unmasked, is carried over):
 * <pre>
 *   p_θ(z_s | z_t) = Cat(z_s; z_t)                                          if z_t ≠ [M]
 *                  = Cat(z_s; ((1 − α_s)·[M] + (α_s − α_t)·x_θ(z_t, t)) / (1 − α_t))   if z_t = [M]
 * </pre>
 * so a masked position is revealed with probability (α_s − α_t)/(1 − α_t), to a token drawn from
 * the model's softmax over the non-mask tokens. At s = 0, α_0 = 1 and every mask is revealed.
 */
public final class MaskedAncestral implements TokenSampler {

    private final MaskingSchedule schedule;
    private final Noise noise;

    /**
     * @param schedule α_t of the masking process
     * @param noise    the run's random source: one uniform per masked position per step
     */
    public MaskedAncestral(MaskingSchedule schedule, Noise noise) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    /** The prior z_1 [B, L]: every position masked (α_1 = 0). */
    public static INDArray allMasked(int batch, int length, int maskToken) {
        if (batch < 1 || length < 1) {
            throw new IllegalArgumentException("need batch (%d) and length (%d) ≥ 1".formatted(batch, length));
        }
        int[] z = new int[batch * length];
        Arrays.fill(z, maskToken);
        return Nd4j.createFromArray(z).reshape(batch, length);
    }

    /**
     * Notation: z_t the tokens, [M] the mask, α the masking schedule, x_θ the softmax of the
     * model's logits over the non-mask tokens.
     * <ol>
     *   <li>x_θ(z_t, t) from one model evaluation;</li>
     *   <li>p = (α_s − α_t)/(1 − α_t), the probability that a masked position is revealed;</li>
     *   <li>for each masked position, in row-major order, one u ~ U[0, 1): u &lt; p reveals the
     *       token at the inverse CDF of x_θ at u/p (given u &lt; p, u/p is again uniform), else
     *       the position stays masked;</li>
     *   <li>unmasked positions are carried over.</li>
     * </ol>
     */
    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        int mask = model.maskToken(), v = model.vocabularySize();
        if (mask < 0) throw new IllegalArgumentException("masked ancestral sampling needs a model with a mask token");
        INDArray logits = model.logits(tokens, t); // [B, L, V]
        double reveal = schedule.unmaskProbability(t, s);
        int[] z = tokens.castTo(DataType.INT32).dup('c').data().asInt();
        double[] lg = logits.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] weights = new double[v];
        for (int i = 0; i < z.length; i++) {
            if (z[i] != mask) continue;
            double u = noise.uniform();
            if (u < reveal) z[i] = draw(lg, i * v, v, mask, u / reveal, weights);
        }
        return new Step(Nd4j.createFromArray(z).reshape(tokens.size(0), tokens.size(1)), logits);
    }

    /** The token at the inverse CDF, at u ∈ [0, 1), of softmax(logits[from, from + v)) without the mask. */
    static int draw(double[] logits, int from, int v, int mask, double u, double[] weights) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) if (k != mask) max = Math.max(max, logits[from + k]);
        double sum = 0;
        for (int k = 0; k < v; k++) {
            weights[k] = k == mask ? 0 : Math.exp(logits[from + k] - max); // shifted by the max: no overflow
            sum += weights[k];
        }
        if (!(sum > 0 && Double.isFinite(sum))) {
            throw new IllegalStateException("logits at position %d give no token a finite positive probability"
                    .formatted(from / v));
        }
        double target = u * sum, cumulative = 0;
        int last = -1;
        for (int k = 0; k < v; k++) {
            if (weights[k] == 0) continue;
            cumulative += weights[k];
            last = k;
            if (target < cumulative) return k;
        }
        return last; // u·sum rounded up to the total
    }
}
