package org.diffusionplayground.model.schedule;

/**
 * The linear interpolant of flow matching and rectified flow: x_t = (1 − t)·x0 + t·ε, so
 * α = 1 − t, σ = t, α' = −1, σ' = 1 and the conditional velocity is u = ẋ_t = ε − x0
 * (Lipman, Chen, Ben-Hamu, Nickel &amp; Le 2023, "Flow matching for generative modeling", §4.1,
 * Example II, the optimal-transport path with σ_min = 0; Liu, Gong &amp; Liu 2023, "Flow straight and
 * fast", eq. 1; de Freitas 2026, "Diffusion and flow matching tutorial", §7.2). Not variance
 * preserving: α² + σ² = 1 − 2t + 2t² dips to ½ at t = ½.
 *
 * <p>Time convention. Ours is the diffusion one: t = 0 data, t = 1 noise, and generation runs
 * t = 1 → 0. de Freitas derives flow matching in this convention (§7.2: α = 1 − t, σ = t, target
 * ε − x), then switches for his code to the one of Lipman et al. and Liu et al., where τ = 0 is
 * noise (z_0 = ε) and τ = 1 is data (z_1 = x): their time is τ = 1 − t, their path is
 * φ_τ = (1 − τ)·ε + τ·x (his eq. 34 with σ_min = 0), and their velocity dφ/dτ = x − ε = −u.
 * A network trained on their target is used here as a {@link Parameterization#U} model by
 * negating its output and evaluating it at τ = 1 − t.
 *
 * <p>λ = 2·log((1 − t)/t) inverts in closed form: t = 1/(1 + e^{λ/2}). At t = 1, α = 0 and
 * λ = −∞; the samplers handle that first step from pure noise.
 *
 * @param steps T of the nominal grid t_i = (i + 1)/T that spacings pick from
 */
public record LinearInterpolant(int steps) implements GaussianPath {

    /** Its name in configs, checkpoints and the CLI. */
    public static final String NAME = "linear-interpolant";

    public LinearInterpolant {
        if (steps < 2 || steps > 100_000) {
            throw new IllegalArgumentException("steps (%d) must be in [2, 100000]".formatted(steps));
        }
    }

    /** T = 1000, the grid of the playground's diffusion schedules. */
    public static LinearInterpolant defaults() {
        return new LinearInterpolant(1000);
    }

    @Override public String name() { return NAME; }

    @Override public double alpha(double t) { return 1 - GaussianPath.checkTime(t); }

    @Override public double sigma(double t) { return GaussianPath.checkTime(t); }

    @Override public double alphaPrime(double t) { GaussianPath.checkTime(t); return -1; }

    @Override public double sigmaPrime(double t) { GaussianPath.checkTime(t); return 1; }

    /** λ = 2·(log(1 − t) − log t), with log1p for accuracy near t = 0. */
    @Override
    public double logSnr(double t) {
        GaussianPath.checkTime(t);
        return 2 * (Math.log1p(-t) - Math.log(t));
    }

    /** t = 1/(1 + e^{λ/2}) = sigmoid(−λ/2). */
    @Override
    public double timeOfLogSnr(double logSnr) {
        return 1 / (1 + Math.exp(0.5 * logSnr));
    }

    @Override public String toString() { return name() + "(T=" + steps + ")"; }
}
