package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * Uniform-state discrete diffusion's training objective (SEDD; Lou, Meng &amp; Ermon 2023,
 * "Discrete diffusion modeling by estimating the ratios of the data distribution", Algorithm 1
 * with Q^uniform and the geometric noise of §3.3): per example a training window x0, a time t
 * (low-discrepancy, as for {@link MaskedDiffusion}), and x_t with each character resampled
 * uniformly from the N characters — possibly to itself — with probability 1 − e^(−σ̄(t)); the
 * network reads (x_t, t) and {@link DenoisingScoreEntropy} scores its log-scores.
 *
 * <p>One uniform u per character decides both whether and to what it is resampled: u &lt; p
 * resamples it to ⌊(u/p)·N⌋ (given u &lt; p, u/p is again uniform), so a batch is a pure function
 * of (seed, k) and a resumed run sees the same batches.
 */
public final class ScoreEntropyDiffusion implements TextDiffusion {

    private final GeometricNoise schedule;
    private final TextCorpus corpus;
    private final int length;
    private final DenoisingScoreEntropy loss;

    public ScoreEntropyDiffusion(GeometricNoise schedule, TextCorpus corpus, int length) {
        corpus.trainStarts(length); // fails with the sizes if the window does not fit
        this.schedule = schedule;
        this.corpus = corpus;
        this.length = length;
        this.loss = new DenoisingScoreEntropy(schedule, corpus.vocabularySize());
    }

    @Override
    public Batch batch(TrainConfig config, int k) {
        return TextDiffusion.trainingBatch(this, config.seed(), config.batch(), k);
    }

    /** x0 with each character resampled uniformly with probability 1 − e^(−σ̄(t)). */
    @Override
    public Batch noised(int[] x0, float[] t, Noise noise) {
        int b = t.length, n = length, v = corpus.vocabularySize();
        if (x0.length != b * n) throw new IllegalArgumentException("%d ids do not make %d windows of %d".formatted(x0.length, b, n));
        int[] xt = new int[b * n];
        for (int j = 0; j < b; j++) {
            double p = schedule.resampleProbability(t[j]);
            for (int i = j * n; i < (j + 1) * n; i++) {
                double u = noise.uniform();
                xt[i] = u < p ? Math.min(v - 1, (int) (u / p * v)) : x0[i];
            }
        }
        return TextDiffusion.batchOf(xt, t, x0, null);
    }

    @Override
    public Loss loss() {
        return loss;
    }

    public GeometricNoise schedule() { return schedule; }

    @Override
    public TextCorpus corpus() { return corpus; }

    @Override
    public int length() { return length; }

    @Override
    public String describe() {
        return "uniform discrete diffusion (SEDD), %s noise, %d-character windows of %s".formatted(schedule.name(), length, corpus.name());
    }
}
