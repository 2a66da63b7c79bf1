package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.TextModelConfig;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A discrete diffusion objective on characters: windows of a corpus corrupted by a forward
 * process at times t, scored by a loss that bounds −log p in nats per character. Masked
 * ({@link MaskedDiffusion}) and uniform ({@link ScoreEntropyDiffusion}) share it, so validation
 * ({@code eval.BitsPerCharacter}) and the CLI treat both alike — and so does the left-to-right
 * baseline ({@link Autoregressive}), whose "process" leaves the text as it is and whose loss is
 * −log p itself.
 */
public interface TextDiffusion extends Objective {

    /**
     * The objective a text network of {@code model} trains with (a checkpoint's config when
     * resuming): masked diffusion (MDLM) for the absorbing process, score-entropy diffusion (SEDD)
     * for the uniform one, on windows of its context from {@code corpus}. The messages name what
     * does not fit: another architecture, another vocabulary, a process without a diffusion objective.
     */
    static TextDiffusion of(NetworkConfig model, TextCorpus corpus) {
        if (!(model instanceof TextModelConfig t)) throw new IllegalArgumentException(
                "a '%s' network is not a text model".formatted(model.architecture().id()));
        if (t.vocab() != corpus.vocabularySize()) throw new IllegalArgumentException(
                "the model has %d characters, the corpus %s %d".formatted(t.vocab(), corpus.name(), corpus.vocabularySize()));
        return switch (t.process()) {
            case TextModelConfig.ABSORBING -> new MaskedDiffusion(t.maskingSchedule(), corpus, t.length());
            case TextModelConfig.UNIFORM -> new ScoreEntropyDiffusion(t.geometricNoise(), corpus, t.length());
            case TextModelConfig.AUTOREGRESSIVE -> new Autoregressive(corpus, t.length());
            default -> throw new IllegalArgumentException("the '%s' process has no diffusion objective".formatted(t.process()));
        };
    }

    /** The smallest t drawn (MDLM's and SEDD's sampling_eps), keeping the bound's weights finite. */
    double T_MIN = 1e-3;

    TextCorpus corpus();

    /** The window length L. */
    int length();

    /**
     * The batch for clean windows x0 [B·L] (row-major) at times t [B], corrupted with the uniforms
     * of {@code noise}: input x_t, t, target x0 and the loss's per-example weight.
     */
    Batch noised(int[] x0, float[] t, Noise noise);

    /**
     * Whether the loss is −log p itself rather than a Monte Carlo estimate of a bound (no draw of t
     * or of the corruption): one evaluation is then the exact figure, and further draws repeat it.
     */
    default boolean exact() {
        return false;
    }

    /** The low-discrepancy times of MDLM's code ("antithetic sampling"): t_b = ε + (1 − ε)·(b + u_b)/B. */
    static float[] times(Noise noise, int b) {
        float[] t = new float[b];
        for (int j = 0; j < b; j++) t[j] = (float) (T_MIN + (1 - T_MIN) * (j + noise.uniform()) / b);
        return t;
    }

    /** The batch of corrupted windows x_t, their times, clean windows x0 (both [B·L] row-major) and weights (null = none). */
    static Batch batchOf(int[] xt, float[] t, int[] x0, float[] weight) {
        int b = t.length;
        long[] shape = {b, xt.length / b};
        return new Batch(Nd4j.createFromArray(xt).reshape(shape), Nd4j.create(t, new long[] {b}, 'c'), null,
                Nd4j.createFromArray(x0).reshape(shape), weight == null ? null : Nd4j.create(weight, new long[] {b}, 'c'));
    }

    /** Batch k of a run: B random training windows and their times, all drawn from (seed, k). */
    static Batch trainingBatch(TextDiffusion objective, long seed, int batch, int k) {
        int n = objective.length(), starts = objective.corpus().trainStarts(n);
        Noise noise = new Noise(seed ^ (0x9E3779B97F4A7C15L * (k + 1L)));
        int[] x0 = new int[batch * n];
        for (int j = 0; j < batch; j++) objective.corpus().trainWindow(noise.nextInt(starts), n, x0, j * n);
        return objective.noised(x0, times(noise, batch), noise);
    }
}
