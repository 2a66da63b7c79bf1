package org.diffusionplayground.model.schedule;

import java.util.Locale;

/**
 * Where n sampling steps fall on a {@link GaussianPath}'s nominal grid of T steps (step i at
 * t = (i+1)/T). LINEAR, LEADING and TRAILING follow diffusers' {@code timestep_spacing} and Lin
 * et al. 2024 ("Common diffusion noise schedules and sample steps are flawed", Table 2); LOGSNR
 * spaces the steps uniformly in λ between t = 1 and t = 1/T (Lu et al. 2022, DPM-Solver §3.4
 * "logSNR"), through the path's inverse {@link GaussianPath#timeOfLogSnr}. Where λ(1) = −∞
 * (α(1) = 0, the linear interpolant) the uniform grid runs from the last finite grid step,
 * t = 1 − 1/T, and the first time is still 1, pure noise.
 */
public enum Spacing {
    /** round(linspace(T−1, 0, n)). */
    LINEAR,
    /** (T div n)·k for k = n−1 … 0: never reaches the last step T−1. */
    LEADING,
    /** round(T − k·T/n) − 1 for k = 0 … n−1: always starts at T−1. */
    TRAILING,
    /** uniform in log-SNR, λ = log(α²/σ²). */
    LOGSNR;

    /** The n evaluation times, strictly decreasing, in (0, 1]. */
    public double[] times(GaussianPath schedule, int n) {
        int steps = schedule.steps();
        if (n < 1 || n > steps) {
            throw new IllegalArgumentException("steps (%d) must be in [1, %d]".formatted(n, steps));
        }
        double[] times = new double[n];
        for (int k = 0; k < n; k++) {
            times[k] = switch (this) {
                case LINEAR -> schedule.timeOf((int) Math.round(n == 1 ? steps - 1
                        : (steps - 1) * (double) (n - 1 - k) / (n - 1)));
                case LEADING -> schedule.timeOf((steps / n) * (n - 1 - k));
                case TRAILING -> schedule.timeOf((int) Math.round(steps - k * (double) steps / n) - 1);
                case LOGSNR -> logSnrTime(schedule, n, k);
            };
        }
        return times;
    }

    private static double logSnrTime(GaussianPath schedule, int n, int k) {
        if (k == 0) return 1.0;
        if (k == n - 1) return schedule.timeOf(0);
        double lambdaT = schedule.logSnr(1.0), lambda0 = schedule.logSnr(schedule.timeOf(0));
        if (lambdaT == Double.NEGATIVE_INFINITY) lambdaT = schedule.logSnr(schedule.timeOf(schedule.steps() - 2));
        return schedule.timeOfLogSnr(lambdaT + (lambda0 - lambdaT) * k / (n - 1));
    }

    /** Parses "linear", "leading", "trailing" or "logsnr". */
    public static Spacing parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", ""));
    }
}
