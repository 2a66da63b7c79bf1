package org.diffusionplayground.model.sampling;

import java.util.function.BooleanSupplier;

/**
 * The decreasing grid of times a reverse run walks from t ≤ 1 down to 0, and the walk itself,
 * written once for every family: the Gaussian {@link SamplingLoop} and the discrete
 * {@code tokens.TokenSamplingLoop} differ only in what one step does to their state (x_t, or
 * tokens z_t). Step i goes from times[i] to times[i + 1], and the last one to t = 0; cancellation
 * is checked before every step, so a cancelled walk ends between steps.
 */
public final class TimeGrid {

    private TimeGrid() {
    }

    /** One step of a walk: move {@code state} from t to tPrev &lt; t and report it. */
    @FunctionalInterface
    public interface Step<S> {
        S apply(int index, double t, double tPrev, S state);
    }

    /** Where a walk ended: the last state, the steps done, and whether it was cancelled midway. */
    public record Walk<S>(S state, int stepsDone, boolean cancelled) {
    }

    /** Checks the grid: non-empty, strictly decreasing, each time in (0, 1]. */
    public static void requireDecreasing(double[] times) {
        if (times.length == 0) throw new IllegalArgumentException("no timesteps");
        for (int i = 0; i < times.length; i++) {
            if (!(times[i] > 0 && times[i] <= 1)) {
                throw new IllegalArgumentException("timestep %s outside (0, 1]".formatted(times[i]));
            }
            if (i > 0 && !(times[i] < times[i - 1])) {
                throw new IllegalArgumentException("timesteps must decrease: %s then %s"
                        .formatted(times[i - 1], times[i]));
            }
        }
    }

    /** n uniformly spaced times 1, (n−1)/n, …, 1/n: with the final step to 0, n steps of 1/n. */
    public static double[] uniform(int n) {
        if (n < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(n));
        double[] times = new double[n];
        for (int k = 0; k < n; k++) times[k] = (double) (n - k) / n;
        return times;
    }

    /** Checks {@code times}, then walks them from {@code start}, one {@code step} per time. */
    public static <S> Walk<S> walk(S start, double[] times, BooleanSupplier cancelled, Step<S> step) {
        requireDecreasing(times);
        S state = start;
        for (int i = 0; i < times.length; i++) {
            if (cancelled.getAsBoolean()) return new Walk<>(state, i, true);
            double t = times[i], tPrev = i + 1 < times.length ? times[i + 1] : 0.0;
            state = step.apply(i, t, tPrev, state);
        }
        return new Walk<>(state, times.length, false);
    }
}
