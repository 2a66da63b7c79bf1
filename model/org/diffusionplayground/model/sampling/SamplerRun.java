package org.diffusionplayground.model.sampling;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way to sample: an algorithm, its options, how many steps and where they fall. Shared by
 * the CLI's {@code sample}, {@code bench samplers} and the app's sampler lab, so the same
 * (recipe, seed) gives the same points everywhere.
 *
 * @param sampler the algorithm
 * @param options η, order, DDPM variance
 * @param spacing where the steps fall on the schedule
 * @param steps   number of sampling steps, in [1, T] of the denoiser's schedule
 */
public record SamplerRun(SamplerKind sampler, SamplerOptions options, Spacing spacing, int steps) {

    public SamplerRun {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(spacing, "spacing");
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
    }

    /**
     * Draws x_T ~ N(0, I) of shape [n, 2] from {@code seed} and runs the loop unconditionally.
     * x_T comes first from the seed's stream and the sampler's own noise from a split of it,
     * so two recipes with the same seed start from the same x_T (common random numbers).
     */
    public SamplingLoop.Result run(Denoiser denoiser, int n, long seed) {
        return run(denoiser, null, n, seed);
    }

    /** The x_T [n, 2] (float) that {@link #run} starts from for this seed, whatever the recipe. */
    public static INDArray startNoise(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("n (%d) must be ≥ 1".formatted(n));
        return new Noise(seed, DataType.FLOAT).normal(n, 2);
    }

    /** As {@link #run(Denoiser, int, long)} with class labels cond [n] (or null). */
    public SamplingLoop.Result run(Denoiser denoiser, INDArray cond, int n, long seed) {
        return run(denoiser, cond, seed, new long[] {n, 2}, e -> { }, () -> false);
    }

    /**
     * Draws x_T ~ N(0, I) of {@code shape} (e.g. [n, 1, 28, 28] for images) from {@code seed}
     * and runs the loop with labels cond [n] (or null), reporting every step and stopping
     * between steps when {@code cancelled} says so. Same seed, same x_T, as above.
     */
    public SamplingLoop.Result run(Denoiser denoiser, INDArray cond, long seed, long[] shape,
                                   Consumer<StepEvent> listener, BooleanSupplier cancelled) {
        if (shape.length < 2 || shape[0] < 1) {
            throw new IllegalArgumentException("shape %s must be [n ≥ 1, ...]".formatted(Arrays.toString(shape)));
        }
        GaussianPath schedule = denoiser.schedule();
        double[] times = spacing.times(schedule, steps);
        Noise noise = new Noise(seed, DataType.FLOAT);
        INDArray xT = noise.normal(shape); // = startNoise(n, seed) for 2-D points
        ModelFn model = new ModelFn(denoiser, cond);
        return SamplingLoop.run(sampler.create(options, noise.split()), model, xT, times, listener, cancelled);
    }
}
