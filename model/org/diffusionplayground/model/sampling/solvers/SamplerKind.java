package org.diffusionplayground.model.sampling.solvers;

import java.util.Arrays;
import java.util.List;
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
    },
    MIDPOINT("midpoint", "Midpoint rule on the flow ODE in t — de Freitas 2026, §7.3") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new Midpoint(); }
    },
    RK4("rk4", "Runge–Kutta 4 on the flow ODE in t — Kutta 1901; de Freitas 2026, §7.3") {
        @Override public Sampler create(SamplerOptions o, Noise noise) { return new RungeKutta4(); }
    };

    /**
     * The samplers of diffusion's tables (bench samplers, the lab) by default: every one written
     * for it, in the order of the papers.
     */
    public static final List<SamplerKind> DIFFUSION = List.of(DDPM, DDIM, DPM_SOLVER, DPM_SOLVER_PP, EULER, HEUN,
            EULER_MARUYAMA);

    /**
     * The integrators of a flow model in t by default — Euler (on the linear interpolant Euler's
     * step in t is this class's EULER, see {@link Euler}), midpoint, RK4 — and two diffusion
     * samplers run on the same path through its α and σ, to set them side by side.
     */
    public static final List<SamplerKind> FLOW = List.of(EULER, MIDPOINT, RK4, HEUN, DDIM, DPM_SOLVER_PP);

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
