package org.diffusionplayground.app.schedules;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;

/**
 * The discrete (text) schedules the Schedules page draws beside the Gaussian ones, as the text
 * models are trained: MDLM's masking schedule α_t and SEDD's geometric noise σ̄(t). Each gives the
 * probability that a character is still clean at t and its total noise σ̄(t); the sampling times
 * are uniform in t whatever the spacing, as the text samplers walk them ({@code TokenRun}).
 */
public enum TextSchedule {
    /** Absorbing: a character is still clean with probability α_t = 1 − t, else it is [M]. */
    MASKED("mdlm", "MDLM masked: αₜ = 1 − t",
            "Sahoo et al. 2024, “Simple and Effective Masked Diffusion Language Models”, §3 (α_t); σ̄ = −ln α_t"),
    /** Uniform: σ̄(t) = σ_min^(1−t)·σ_max^t, a character resampled among N with probability 1 − e^(−σ̄). */
    UNIFORM("sedd", "SEDD uniform: σ̄(t) geometric",
            "Lou, Meng & Ermon 2023, “Discrete Diffusion Modeling by Estimating the Ratios of the Data Distribution”, §3.3");

    /** Tiny Shakespeare's characters N, among which the uniform process resamples. */
    public static final int CHARACTERS = TextCorpus.SHAKESPEARE_CHARACTERS;

    private static final MaskingSchedule ALPHA = MaskingSchedule.linear();
    private static final GeometricNoise SIGMA = GeometricNoise.sedd();

    private final String id;
    private final String label;
    private final String citation;

    TextSchedule(String id, String label, String citation) {
        this.id = id;
        this.label = label;
        this.citation = citation;
    }

    /** For node ids, e.g. "mdlm". */
    public String id() { return id; }

    /** How the charts and the checkbox name it. */
    public String label() { return label; }

    public String citation() { return citation; }

    /** Its palette index: after the Gaussian schedules and the flow interpolant. */
    public int colour() { return SchedulesModel.FLOW_COLOUR + 1 + ordinal(); }

    /**
     * The probability that a character is still its clean self at t: α_t (absorbing; MDLM §3), or
     * e^(−σ̄) + (1 − e^(−σ̄))/N (uniform: resampled characters land on themselves one time in N).
     */
    public double clean(double t) {
        return this == MASKED ? ALPHA.alpha(t) : 1 - SIGMA.changedProbability(t, CHARACTERS);
    }

    /**
     * The total noise σ̄(t): SEDD's geometric σ_min^(1−t)·σ_max^t, or for MDLM the σ̄ with
     * α_t = e^(−σ̄), −ln α_t (the absorbing process masks with probability 1 − e^(−σ̄); SEDD §3.3):
     * infinite at t = 1, where everything is masked.
     */
    public double totalNoise(double t) {
        return this == MASKED ? -Math.log(ALPHA.alpha(t)) : SIGMA.totalNoise(t);
    }
}
