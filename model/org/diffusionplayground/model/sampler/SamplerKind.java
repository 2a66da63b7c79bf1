package org.diffusionplayground.model.sampler;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Sampler;

/** Every sampler the playground offers, by its CLI name, and a factory for a fresh instance. */
public enum SamplerKind {
    DDIM("ddim", "DDIM — Song et al. 2021") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Ddim(o.eta(), noise); }
    };

    private final String cliName;
    private final String citation;

    SamplerKind(String cliName, String citation) {
        this.cliName = cliName;
        this.citation = citation;
    }

    /** A new sampler for one run (multistep history starts empty). */
    public abstract Sampler create(SamplerOptions options, Noise noise);

    public String cliName() { return cliName; }

    public String citation() { return citation; }

    public static SamplerKind parse(String name) {
        for (SamplerKind k : values()) if (k.cliName.equalsIgnoreCase(name.trim())) return k;
        throw new IllegalArgumentException("unknown sampler '%s' (valid: %s)".formatted(name,
                Arrays.stream(values()).map(SamplerKind::cliName).collect(Collectors.joining(", "))));
    }
}
