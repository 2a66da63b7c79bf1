package org.diffusionplayground.model.sampling.solvers;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Sampler;

/** Every sampler the playground offers, by its CLI name, and a factory for a fresh instance. */
public enum SamplerKind {
    DDPM("ddpm", "DDPM ancestral — Ho et al. 2020, Algorithm 2") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Ddpm(o.largeVariance(), noise); }
    },
    DDIM("ddim", "DDIM — Song et al. 2021, eq. 12") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Ddim(o.eta(), noise); }
    },
    DPM_SOLVER("dpm-solver", "DPM-Solver (singlestep) — Lu et al. 2022") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new DpmSolver(o.order()); }
    },
    DPM_SOLVER_PP("dpm-solver++", "DPM-Solver++(2M) — Lu et al. 2022b, Algorithm 2") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new DpmSolverPlusPlus2M(); }
    },
    EULER("euler", "Euler on the probability-flow ODE — Karras et al. 2022") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Euler(); }
    },
    HEUN("heun", "Heun on the probability-flow ODE — Karras et al. 2022, Algorithm 1") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Heun(); }
    },
    EULER_MARUYAMA("euler-maruyama", "Euler–Maruyama on the reverse SDE — Song et al. 2021, eq. 6") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new EulerMaruyama(noise); }
    };

    private final String cliName;
    private final String citation;

    SamplerKind(String cliName, String citation) {
        this.cliName = cliName;
        this.citation = citation;
    }

    /**
     * A new sampler for one run (multistep history starts empty). Options that do not apply are
     * ignored: ddpm reads {@code largeVariance}, ddim {@code eta}, dpm-solver {@code order}.
     * Stochastic samplers draw every random number from {@code noise}.
     */
    public abstract Sampler create(SamplerOptions options, Noise noise);

    public String cliName() { return cliName; }

    public String citation() { return citation; }

    public static SamplerKind parse(String name) {
        for (SamplerKind k : values()) if (k.cliName.equalsIgnoreCase(name.trim())) return k;
        throw new IllegalArgumentException("unknown sampler '%s' (valid: %s)".formatted(name,
                Arrays.stream(values()).map(SamplerKind::cliName).collect(Collectors.joining(", "))));
    }
}
