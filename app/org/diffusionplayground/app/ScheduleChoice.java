package org.diffusionplayground.app;

import org.diffusionplayground.model.schedule.NoiseSchedule;

/** The Gaussian noise schedules the pages offer, each with its paper (shown in About). */
public enum ScheduleChoice {
    DDPM_LINEAR("DDPM linear", "Ho, Jain & Abbeel 2020, “Denoising Diffusion Probabilistic Models”"),
    COSINE("Cosine", "Nichol & Dhariwal 2021, “Improved Denoising Diffusion Probabilistic Models”"),
    SHIFTED_COSINE("Shifted cosine", "Hoogeboom, Heek & Salimans 2023, “simple diffusion”"),
    VP("VP SDE", "Song et al. 2021, “Score-Based Generative Modeling through SDEs”");

    private final String label;
    private final String paper;

    ScheduleChoice(String label, String paper) {
        this.label = label;
        this.paper = paper;
    }

    public String label() { return label; }

    public String paper() { return paper; }

    /** The schedule with its paper's defaults; {@code shift} applies to the shifted cosine only. */
    public NoiseSchedule create(double shift) {
        return switch (this) {
            case DDPM_LINEAR -> NoiseSchedule.ddpm();
            case COSINE -> NoiseSchedule.cosine();
            case SHIFTED_COSINE -> NoiseSchedule.shiftedCosine(shift);
            case VP -> NoiseSchedule.vp();
        };
    }

    /** The label, with the shift where it applies: "Shifted cosine (+1.0)". */
    public String label(double shift) {
        return this == SHIFTED_COSINE ? "%s (%+.1f)".formatted(label, shift) : label;
    }

    @Override public String toString() { return label; }
}
