package org.diffusionplayground.app.schedules;

import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.NoiseSchedule;

/** What the Schedules page plots against normalised time t ∈ [0, 1]. */
public enum Quantity {
    BETA("β per step  (log scale)", "βₜ", true),
    ALPHA_BAR("ᾱₜ  signal variance", "ᾱₜ", false),
    SIGMA("√(1−ᾱₜ)  noise coefficient", "√(1−ᾱₜ)", false),
    SNR("SNR = ᾱₜ/(1−ᾱₜ)  (log scale)", "SNR", true),
    LOG_SNR("log-SNR λₜ = log SNR", "λₜ", false),
    /** Discrete: the probability that a character is still clean at t. */
    CLEAN("Text: P(a character is still clean)", "P(clean)", false),
    /** Discrete: the total noise σ̄(t) of the text processes. */
    TOTAL_NOISE("Text: total noise σ̄(t)  (log scale)", "σ̄(t)", true);

    private final String title;
    private final String axisLabel;
    private final boolean logScale;

    Quantity(String title, String axisLabel, boolean logScale) {
        this.title = title;
        this.axisLabel = axisLabel;
        this.logScale = logScale;
    }

    public String title() { return title; }

    public String axisLabel() { return axisLabel; }

    public boolean logScale() { return logScale; }

    /** Whether it belongs to the discrete (text) schedules rather than the Gaussian paths. */
    public boolean discrete() { return this == CLEAN || this == TOTAL_NOISE; }

    /** The value of a text schedule at t (NaN for a Gaussian quantity). */
    public double at(TextSchedule s, double t) {
        return switch (this) {
            case CLEAN -> s.clean(t);
            case TOTAL_NOISE -> s.totalNoise(t);
            default -> Double.NaN;
        };
    }

    /**
     * The value at continuous time t. β is per step of the schedule's grid: the β_i of the step
     * whose time (i+1)/T is nearest to t (Ho et al. 2020 define β on steps, not times).
     */
    public double at(NoiseSchedule s, double t) {
        return switch (this) {
            case BETA -> s.beta(stepIndex(s, t));
            case ALPHA_BAR -> s.alphaBar(t);
            case SIGMA -> s.sigma(t);
            case SNR -> s.snr(t);
            case LOG_SNR -> s.logSnr(t);
            case CLEAN, TOTAL_NOISE -> Double.NaN;
        };
    }

    /**
     * The value on any path: a VP schedule's as above; on another path (the linear interpolant of
     * flow matching) the signal variance α², the noise coefficient σ, SNR = α²/σ² and λ, and no β
     * (NaN: it is a VP quantity).
     */
    public double at(GaussianPath p, double t) {
        if (p instanceof NoiseSchedule s) return at(s, t);
        return switch (this) {
            case BETA -> Double.NaN;
            case ALPHA_BAR -> p.alpha(t) * p.alpha(t);
            case SIGMA -> p.sigma(t);
            case SNR -> Math.exp(p.logSnr(t));
            case LOG_SNR -> p.logSnr(t);
            case CLEAN, TOTAL_NOISE -> Double.NaN;
        };
    }

    /** The step i ∈ [0, T) whose time (i+1)/T is nearest to t. */
    public static int stepIndex(GaussianPath s, double t) {
        return Math.max(0, Math.min(s.steps() - 1, (int) Math.round(t * s.steps()) - 1));
    }
}
