package org.diffusionplayground.model.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every Gaussian schedule the playground offers, in the order the pages list them: its CLI name,
 * the label and paper the pages show, and a factory with the paper's defaults. Only the shifted
 * cosine takes a parameter, its log-SNR shift (0 = the plain "cosine-logsnr").
 */
public enum ScheduleKind {
    DDPM("ddpm", "DDPM linear", "Ho, Jain & Abbeel 2020, “Denoising Diffusion Probabilistic Models”"),
    COSINE("cosine", "Cosine", "Nichol & Dhariwal 2021, “Improved Denoising Diffusion Probabilistic Models”"),
    COSINE_LOGSNR("cosine-logsnr", "Shifted cosine", "Hoogeboom, Heek & Salimans 2023, “simple diffusion”"),
    VP("vp", "VP SDE", "Song et al. 2021, “Score-Based Generative Modeling through SDEs”");

    private final String cliName;
    private final String label;
    private final String citation;

    ScheduleKind(String cliName, String label, String citation) {
        this.cliName = cliName;
        this.label = label;
        this.citation = citation;
    }

    public String cliName() { return cliName; }

    /** The name the pages show, e.g. "DDPM linear". */
    public String label() { return label; }

    /** The paper it comes from (authors, year, title). */
    public String citation() { return citation; }

    /** Whether {@link #create(double)} reads its shift (the shifted cosine only). */
    public boolean shiftable() { return this == COSINE_LOGSNR; }

    /** The schedule with its paper's defaults (the shifted cosine unshifted). */
    public NoiseSchedule create() { return create(0); }

    /** The schedule with its paper's defaults; {@code shift} applies to the shifted cosine only. */
    public NoiseSchedule create(double shift) {
        return switch (this) {
            case DDPM -> NoiseSchedule.ddpm();
            case COSINE -> NoiseSchedule.cosine();
            case COSINE_LOGSNR -> NoiseSchedule.shiftedCosine(shift);
            case VP -> NoiseSchedule.vp();
        };
    }

    /** The label, with the shift where it applies: "Shifted cosine (+1.0)". */
    public String label(double shift) {
        return shiftable() ? String.format(Locale.ROOT, "%s (%+.1f)", label, shift) : label;
    }

    /** Parses a CLI name ("ddpm", "cosine", "cosine-logsnr", "vp"), naming the valid ones if wrong. */
    public static ScheduleKind parse(String name) {
        for (ScheduleKind k : values()) if (k.cliName.equalsIgnoreCase(name.trim())) return k;
        throw new IllegalArgumentException("unknown schedule '%s' (valid: %s)".formatted(name, names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(ScheduleKind::cliName).collect(Collectors.joining(", "));
    }
}
