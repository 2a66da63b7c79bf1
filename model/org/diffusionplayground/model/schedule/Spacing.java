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
 *
 * <p>Every spacing gives n strictly decreasing times at n different steps of the grid (the step
 * nearest to each time, round(t·T) − 1, differs from time to time), so no two network
 * evaluations share a training timestep. The three index spacings do so by construction; LOGSNR
 * keeps a uniform-λ time unless it would share its grid step with the time before it, and then
 * takes the next grid step down. That happens where λ changes by more than the uniform gap
 * within one grid step: the cosine schedule's last step, whose β is clipped at 0.999 so that λ
 * falls by ≈ 7 between t = 0.999 and 1 (Nichol &amp; Dhariwal 2021, eq. 17), and near t = 0 at
 * large n, where λ(1/T) − λ(2/T) ≈ log 2 on the DDPM schedule. A plain uniform-λ grid puts 4 of
 * 20 cosine steps inside that last grid step (listed as "999 999 999 998 998 …").
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
        if (this == LOGSNR) return logSnrTimes(schedule, n);
        double[] times = new double[n];
        for (int k = 0; k < n; k++) {
            times[k] = switch (this) {
                case LINEAR -> schedule.timeOf((int) Math.round(n == 1 ? steps - 1
                        : (steps - 1) * (double) (n - 1 - k) / (n - 1)));
                case LEADING -> schedule.timeOf((steps / n) * (n - 1 - k));
                case TRAILING -> schedule.timeOf((int) Math.round(steps - k * (double) steps / n) - 1);
                case LOGSNR -> throw new AssertionError("handled above");
            };
        }
        return times;
    }

    /**
     * Uniform in λ, then at most one time per grid step. In grid units u = t·T − 1 (step i at u = i),
     * time k must satisfy u_k ≥ n − 1 − k (room for the later times on distinct steps) and
     * u_k ≤ round(u_{k−1}) − 1 (a step below the one nearest the time before); a uniform-λ time
     * that breaks either bound is moved onto the grid step at the bound.
     */
    private static double[] logSnrTimes(GaussianPath schedule, int n) {
        int steps = schedule.steps();
        double[] times = new double[n];
        times[0] = 1.0;
        if (n == 1) return times;
        double lambdaT = schedule.logSnr(1.0), lambda0 = schedule.logSnr(schedule.timeOf(0));
        if (lambdaT == Double.NEGATIVE_INFINITY) lambdaT = schedule.logSnr(schedule.timeOf(steps - 2));
        double previous = steps - 1; // u of times[0]
        for (int k = 1; k < n; k++) {
            double t = k == n - 1 ? schedule.timeOf(0)
                    : schedule.timeOfLogSnr(lambdaT + (lambda0 - lambdaT) * k / (n - 1));
            double u = t * steps - 1;
            int lowest = n - 1 - k, highest = (int) Math.round(previous) - 1;
            if (Math.round(u) < lowest) {
                u = lowest;
                t = schedule.timeOf(lowest);
            }
            if (Math.round(u) > highest) {
                u = highest;
                t = schedule.timeOf(highest);
            }
            times[k] = t;
            previous = u;
        }
        return times;
    }

    /** Parses "linear", "leading", "trailing" or "logsnr". */
    public static Spacing parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", ""));
    }
}
