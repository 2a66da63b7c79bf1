package org.diffusionplayground.model.schedule;

import java.util.Locale;

/**
 * The two Gaussian families the playground sets side by side on one engine (de Freitas 2026,
 * "Diffusion and flow matching tutorial", §7.4, "mix and match"): diffusion on a VP noise
 * schedule, whose exact model answers in ε, and flow matching on the {@link LinearInterpolant},
 * whose exact model answers in the velocity u = ε − x0 (Lipman et al. 2023, "Flow matching for
 * generative modeling"; Liu, Gong &amp; Liu 2023, "Flow straight and fast"). Both are a
 * {@link GaussianPath}, so every sampler runs on either.
 */
public enum PathFamily {
    DIFFUSION("diffusion", Parameterization.EPS, Spacing.LOGSNR),
    FLOW("flow", Parameterization.U, Spacing.TRAILING);

    private final String cliName;
    private final Parameterization parameterization;
    private final Spacing spacing;

    PathFamily(String cliName, Parameterization parameterization, Spacing spacing) {
        this.cliName = cliName;
        this.parameterization = parameterization;
        this.spacing = spacing;
    }

    public String cliName() { return cliName; }

    /** What this family's models predict: ε for diffusion, the velocity u for flow. */
    public Parameterization parameterization() { return parameterization; }

    /**
     * Where its steps fall by default: uniform in log-SNR for diffusion (Lu et al. 2022);
     * uniform in t for flow — trailing spacing, t = 1, 1 − 1/n, …, 1/n wherever n divides T —
     * the grid the flow integrators' orders refer to.
     */
    public Spacing defaultSpacing() { return spacing; }

    /** The path: {@code schedule} for diffusion; the linear interpolant (T = 1000) for flow, whatever the schedule. */
    public GaussianPath path(ScheduleKind schedule) {
        return this == FLOW ? LinearInterpolant.defaults() : schedule.create();
    }

    /** The family a model trained on {@code path} belongs to: flow on the linear interpolant, diffusion on every other path. */
    public static PathFamily of(GaussianPath path) {
        return path instanceof LinearInterpolant ? FLOW : DIFFUSION;
    }

    /** By CLI name ("diffusion" or "flow"), naming both if wrong. */
    public static PathFamily parse(String name) {
        for (PathFamily f : values()) if (f.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) return f;
        throw new IllegalArgumentException("unknown process '%s' (valid: diffusion, flow)".formatted(name));
    }
}
