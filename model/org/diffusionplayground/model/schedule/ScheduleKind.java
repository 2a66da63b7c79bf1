package org.diffusionplayground.model.schedule;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The Gaussian schedules by their CLI/UI names, each built with its paper's defaults. */
public enum ScheduleKind {
    DDPM("ddpm", NoiseSchedule::ddpm),
    COSINE("cosine", NoiseSchedule::cosine),
    VP("vp", NoiseSchedule::vp),
    COSINE_LOGSNR("cosine-logsnr", () -> NoiseSchedule.shiftedCosine(0));

    private final String cliName;
    private final Supplier<NoiseSchedule> factory;

    ScheduleKind(String cliName, Supplier<NoiseSchedule> factory) {
        this.cliName = cliName;
        this.factory = factory;
    }

    public String cliName() { return cliName; }

    public NoiseSchedule create() { return factory.get(); }

    /** Parses a CLI name ("ddpm", "cosine", "vp", "cosine-logsnr"), naming the valid ones if wrong. */
    public static ScheduleKind parse(String name) {
        for (ScheduleKind k : values()) if (k.cliName.equalsIgnoreCase(name.trim())) return k;
        throw new IllegalArgumentException("unknown schedule '%s' (valid: %s)".formatted(name, names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(ScheduleKind::cliName).collect(Collectors.joining(", "));
    }
}
