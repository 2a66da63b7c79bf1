package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
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
 *
 * <p>With remasking (ReMDM; Wang et al. 2025, "Remasking discrete diffusion models with
 * inference-time scaling", eq. 7 and the "cap" schedule of §4.1), a revealed token is masked
 * again with probability σ_t = min(η, (1 − α_s)/α_t), and a masked position is revealed with
 * probability (α_s − (1 − σ_t)·α_t)/(1 − α_t) — the same marginals q(z_s | x0) as MDLM's step, so
 * the sampler stays correct while later steps can revise earlier mistakes. η = 0 is MDLM.
 */
public final class MaskedAncestral implements TokenSampler {

    private final MaskingSchedule schedule;
    private final Noise noise;
    private final TokenFilter filter;
    private final double remask;

    /**
     * @param schedule α_t of the masking process
     * @param noise    the run's random source: one uniform per position per step
     */
    public MaskedAncestral(MaskingSchedule schedule, Noise noise) {
        this(schedule, noise, TokenFilter.none(), 0);
    }

    /**
     * @param filter temperature, top-k, top-p of the revealed tokens
     * @param remask ReMDM's cap η ∈ [0, 1] on the remasking probability (0 = none)
     */
    public MaskedAncestral(MaskingSchedule schedule, Noise noise, TokenFilter filter, double remask) {
        if (!(remask >= 0 && remask <= 1)) throw new IllegalArgumentException("remasking η (%s) must be in [0, 1]".formatted(remask));
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.remask = remask;
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
     *   <li>unmasked positions are carried over — or, with remasking, masked again when their
     *       uniform is below σ_t.</li>
     * </ol>
     */
    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        int mask = model.maskToken(), v = model.vocabularySize();
        if (mask < 0) throw new IllegalArgumentException("masked ancestral sampling needs a model with a mask token");
        INDArray logits = model.logits(tokens, t); // [B, L, V]
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(s);
        double sigma = remask == 0 || alphaT <= 0 ? 0 : Math.max(0, Math.min(remask, (1 - alphaS) / alphaT));
        double reveal = sigma == 0 ? schedule.unmaskProbability(t, s) : (alphaS - (1 - sigma) * alphaT) / (1 - alphaT);
        int[] z = HeapArrays.ints(tokens);
        double[] lg = HeapArrays.doubles(logits);
        double[] p = new double[v];
        for (int i = 0; i < z.length; i++) {
            if (z[i] != mask) {
                if (sigma > 0 && noise.uniform() < sigma) z[i] = mask;
                continue;
            }
            double u = noise.uniform();
            if (u < reveal) z[i] = TokenFilter.draw(filter.probabilities(lg, i * v, v, mask, p), v, u / reveal);
        }
        return new Step(Nd4j.createFromArray(z).reshape(tokens.size(0), tokens.size(1)), logits);
    }
}
