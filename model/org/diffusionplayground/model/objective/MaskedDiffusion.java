package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * Masked (absorbing-state) diffusion's training objective (MDLM; Sahoo et al. 2024, "Simple and
 * effective masked diffusion language models", Algorithm 1 and eq. 10; Shi et al. 2024,
 * "Simplified and generalized masked diffusion", eq. 5): per example a random window x0 of
 * {@code length} characters from the training split, a time t, and x_t with each character
 * replaced by [M] independently with probability 1 − α_t; the network reads (x_t, t) and the
 * {@link MaskedCrossEntropy} scores its logits at the masked positions, weighted by
 * −α′_t/(1 − α_t).
 *
 * <p>Times are low-discrepancy as in MDLM's code ("antithetic sampling"): example b of B draws
 * u_b ~ U[0, 1) and takes s_b = (b + u_b)/B, one per stratum of [0, 1), then t_b = ε + (1 − ε)·s_b
 * with ε = {@value #T_MIN} (MDLM's sampling_eps), which keeps the weight 1/t finite. The bound's
 * estimate then varies far less from batch to batch than with independent t.
 *
 * <p>Batch k draws everything from a {@link Noise} seeded by (seed, k) in a fixed order — the
 * window starts, then u_b, then one uniform per character — so a resumed run sees the same batches.
 */
public final class MaskedDiffusion implements TextDiffusion {

    private final MaskingSchedule schedule;
    private final TextCorpus corpus;
    private final int length;
    private final MaskedCrossEntropy loss;

    /** Windows of {@code length} characters of {@code corpus}'s training split, masked under {@code schedule}. */
    public MaskedDiffusion(MaskingSchedule schedule, TextCorpus corpus, int length) {
        corpus.trainStarts(length); // fails with the sizes if the window does not fit
        this.schedule = schedule;
        this.corpus = corpus;
        this.length = length;
        this.loss = new MaskedCrossEntropy(corpus.maskId());
    }

    @Override
    public Batch batch(TrainConfig config, int k) {
        return TextDiffusion.trainingBatch(this, config.seed(), config.batch(), k);
    }

    /** x0 masked at times t: weight −α′_t/(1 − α_t). */
    @Override
    public Batch noised(int[] x0, float[] t, Noise noise) {
        int b = t.length, n = length, maskId = corpus.maskId();
        if (x0.length != b * n) throw new IllegalArgumentException(
                "%d ids do not make %d windows of %d".formatted(x0.length, b, n));
        int[] xt = new int[b * n];
        float[] weight = new float[b];
        for (int j = 0; j < b; j++) {
            double tj = t[j], masked = schedule.maskProbability(tj);
            weight[j] = (float) schedule.elboWeight(tj);
            for (int i = j * n; i < (j + 1) * n; i++) xt[i] = noise.uniform() < masked ? maskId : x0[i];
        }
        return TextDiffusion.batchOf(xt, t, x0, weight);
    }

    @Override
    public Loss loss() {
        return loss;
    }

    public MaskingSchedule schedule() { return schedule; }

    @Override
    public TextCorpus corpus() { return corpus; }

    @Override
    public int length() { return length; }

    @Override
    public String describe() {
        return "masked diffusion (MDLM), %s schedule, %d-character windows of %s".formatted(schedule.name(), length, corpus.name());
    }
}
