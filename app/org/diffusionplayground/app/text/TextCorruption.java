package org.diffusionplayground.app.text;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.objective.MaskedDiffusion;
import org.diffusionplayground.model.objective.ScoreEntropyDiffusion;
import org.diffusionplayground.model.objective.TextDiffusion;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;

/**
 * A passage under the forward process at {@link #FRAMES} + 1 times t = k/{@value #FRAMES}, all
 * from the same uniform draws: each is the training objective's own corruption
 * ({@link MaskedDiffusion#noised}: [M] with probability 1 − α_t; {@link ScoreEntropyDiffusion#noised}:
 * resampled with probability 1 − e^(−σ̄(t))) fed a fresh {@link Noise} of the same seed, so a
 * character masked at t stays masked at every later time and scrubbing t never reshuffles.
 * Built off the UI thread; looking up a time is then an array read.
 */
public final class TextCorruption {

    /** Time steps of the scrub: t = 0, 1/FRAMES, …, 1. */
    public static final int FRAMES = 200;

    private final TextProcess process;
    private final int[] clean;
    private final int[][] noised;
    private final int maskId;
    private final MaskingSchedule masking;
    private final GeometricNoise uniform;
    private final int vocabulary;

    private TextCorruption(TextProcess process, int[] clean, int[][] noised, int maskId, MaskingSchedule masking,
                           GeometricNoise uniform, int vocabulary) {
        this.process = process;
        this.clean = clean;
        this.noised = noised;
        this.maskId = maskId;
        this.masking = masking;
        this.uniform = uniform;
        this.vocabulary = vocabulary;
    }

    /** {@code passage} (ids of {@code corpus}) corrupted at every scrub time with the draws of {@code seed}. */
    public static TextCorruption of(TextProcess process, TextCorpus corpus, int[] passage, long seed, MaskingSchedule masking,
                                    GeometricNoise uniform) {
        if (passage.length == 0) throw new IllegalArgumentException("the passage is empty: type some text or take a new passage");
        TextDiffusion objective = process.absorbing() ? new MaskedDiffusion(masking, corpus, passage.length)
                : new ScoreEntropyDiffusion(uniform, corpus, passage.length);
        int[][] frames = new int[FRAMES + 1][];
        frames[0] = passage.clone(); // t = 0 is the clean text (α_0 = 1; the objective's weights need t > 0)
        for (int k = 1; k <= FRAMES; k++) {
            var batch = objective.noised(passage, new float[] {(float) time(k)}, new Noise(seed));
            frames[k] = HeapArrays.ints(batch.input());
        }
        return new TextCorruption(process, passage.clone(), frames, corpus.maskId(), masking, uniform, corpus.vocabularySize());
    }

    public static double time(int k) {
        return (double) k / FRAMES;
    }

    public TextProcess process() { return process; }

    public int length() { return clean.length; }

    public int[] clean() { return clean.clone(); }

    /** The ids at scrub step k (t = k/FRAMES); masks are {@link #maskId()}. */
    public int[] at(int k) { return noised[Math.max(0, Math.min(FRAMES, k))].clone(); }

    public int maskId() { return maskId; }

    /** The fraction of characters that differ from the clean passage at step k. */
    public double corrupted(int k) {
        int[] z = noised[Math.max(0, Math.min(FRAMES, k))];
        int n = 0;
        for (int i = 0; i < z.length; i++) if (z[i] != clean[i]) n++;
        return (double) n / z.length;
    }

    /**
     * The expected fraction of characters that differ from the clean text at t: 1 − α_t when
     * masked; (1 − e^(−σ̄(t)))·(1 − 1/N) when uniform (a resampled character lands on itself one
     * time in N).
     */
    public double expected(double t) {
        return process.absorbing() ? masking.maskProbability(t) : uniform.changedProbability(t, vocabulary);
    }

    /** The schedule's own quantity at t: α_t (masked) or σ̄(t) (uniform). */
    public double schedule(double t) {
        return process.absorbing() ? masking.alpha(t) : uniform.totalNoise(t);
    }
}
