package org.diffusionplayground.app.schedules;

import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.NoiseSchedule;

/** What the Schedules page plots against normalised time t ∈ [0, 1]. */
public enum Quantity {
    BETA("β per step  (log scale)", "βₜ", true),
    ALPHA_BAR("ᾱₜ  signal variance", "ᾱₜ", false),
    SIGMA("√(1−ᾱₜ)  noise coefficient", "√(1−ᾱₜ)", false),
    SNR("SNR = ᾱₜ/(1−ᾱₜ)  (log scale)", "SNR", true),
    LOG_SNR("log-SNR λₜ = log SNR", "λₜ", false);

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
        };
    }

    /** The step i ∈ [0, T) whose time (i+1)/T is nearest to t. */
    public static int stepIndex(GaussianPath s, double t) {
        return Math.max(0, Math.min(s.steps() - 1, (int) Math.round(t * s.steps()) - 1));
    }
}
