package org.diffusionplayground.model.sampling;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recipe of a sampling run, written once: an algorithm, its options, how many steps and where
 * they fall, the classifier-free guidance weight and the x̂0 clipping. The CLI's {@code sample}
 * and {@code bench} commands, the quality and network benchmarks, and the app's Reverse, Compare,
 * Lab and Train pages all sample through {@link #run}, so the same (recipe, seed, labels) gives
 * the same samples everywhere.
 *
 * <p>Randomness, reproducible by construction: x_T ~ N(0, I) is the first draw of the seed's stream and the
 * sampler's own noise comes from a split of it, so recipes that differ only in their sampler,
 * steps, guidance or clipping start from the same x_T (common random numbers).
 *
 * @param sampler  the algorithm
 * @param options  η, order, DDPM variance
 * @param spacing  where the steps fall on the schedule
 * @param steps    number of sampling steps, in [1, T] of the denoiser's schedule
 * @param guidance classifier-free guidance weight w ≥ 0 (1 = the plain conditional model; see
 *                 {@link ClassifierFreeGuidance}); applies only to labelled runs
 * @param clip     what happens to the model's x̂0 at every step, after guidance
 */
public record SamplerRun(SamplerKind sampler, SamplerOptions options, Spacing spacing, int steps,
                         double guidance, X0Clip clip) {

    public SamplerRun {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(spacing, "spacing");
        Objects.requireNonNull(clip, "clip");
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        if (!(guidance >= 0 && Double.isFinite(guidance))) {
            throw new IllegalArgumentException("guidance (%s) must be finite and ≥ 0".formatted(guidance));
        }
    }

    /** Without guidance (w = 1) or clipping. */
    public SamplerRun(SamplerKind sampler, SamplerOptions options, Spacing spacing, int steps) {
        this(sampler, options, spacing, steps, 1, X0Clip.NONE);
    }

    public SamplerRun withGuidance(double guidance) {
        return new SamplerRun(sampler, options, spacing, steps, guidance, clip);
    }

    public SamplerRun withClip(X0Clip clip) {
        return new SamplerRun(sampler, options, spacing, steps, guidance, clip);
    }

    /**
     * The model the sampler calls: {@code net} wrapped in classifier-free guidance only when the
     * run is labelled, w ≠ 1 and the model has a null class (otherwise guidance would change
     * nothing, or cannot be done), then in the x̂0 clipping.
     */
    public Denoiser model(Denoiser net, boolean labelled) {
        boolean guided = labelled && guidance != 1 && net.nullClass() >= 0;
        return clip.wrap(guided ? new ClassifierFreeGuidance(net, guidance) : net);
    }

    /** The {@link #steps} evaluation times on {@code net}'s schedule, decreasing, in (0, 1]. */
    public double[] times(Denoiser net) {
        return spacing.times(net.schedule(), steps);
    }

    /** The x_T [shape] (float) that {@link #run} starts from for this seed, whatever the recipe. */
    public static INDArray startNoise(long[] shape, long seed) {
        requireBatch(shape);
        return new Noise(seed, DataType.FLOAT).normal(shape);
    }

    /** {@link #startNoise(long[], long)} of n 2-D points, [n, 2]. */
    public static INDArray startNoise(int n, long seed) {
        return startNoise(new long[] {n, 2}, seed);
    }

    /**
     * Draws x_T ~ N(0, I) of {@code shape} [n, …] from {@code seed}, reports it, and runs the
     * loop with one label per sample (or labels = null: unconditional), reporting every step and
     * stopping between steps when {@code cancelled} says so.
     */
    public SamplingLoop.Result run(Denoiser net, long[] shape, int[] labels, long seed,
                                   SamplingListener listener, BooleanSupplier cancelled) {
        requireBatch(shape);
        if (labels != null && labels.length != shape[0]) {
            throw new IllegalArgumentException("%d labels for %d samples".formatted(labels.length, shape[0]));
        }
        double[] times = times(net);
        Noise noise = new Noise(seed, DataType.FLOAT);
        INDArray xT = noise.normal(shape); // = startNoise(shape, seed); the split below needs this stream
        INDArray cond = labels == null ? null : Nd4j.createFromArray(labels).castTo(DataType.FLOAT); // [n]
        ModelFn model = new ModelFn(model(net, labels != null), cond);
        listener.onStart(times[0], xT);
        return SamplingLoop.run(sampler.create(options, noise.split()), model, xT, times, listener::onStep, cancelled);
    }

    /** {@link #run(Denoiser, long[], int[], long, SamplingListener, BooleanSupplier)}, unreported. */
    public SamplingLoop.Result run(Denoiser net, long[] shape, int[] labels, long seed) {
        return run(net, shape, labels, seed, SamplingListener.NONE, () -> false);
    }

    /** n unconditional 2-D points, [n, 2], from x_T = {@link #startNoise(int, long)}. */
    public SamplingLoop.Result run(Denoiser net, int n, long seed) {
        return run(net, new long[] {n, 2}, null, seed);
    }

    private static void requireBatch(long[] shape) {
        if (shape.length < 2 || shape[0] < 1) {
            throw new IllegalArgumentException("shape %s must be [n ≥ 1, ...]".formatted(Arrays.toString(shape)));
        }
    }
}
