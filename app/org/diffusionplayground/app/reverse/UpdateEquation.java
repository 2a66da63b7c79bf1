package org.diffusionplayground.app.reverse;

import org.diffusionplayground.app.Format;
import org.diffusionplayground.model.sampling.solvers.RungeKutta4;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * The equation the Reverse page animates, with every coefficient's value at the step shown: the
 * sampler's update from t to s (s = the next, less noisy time) and classifier-free guidance. The
 * same arithmetic as the solvers, written out for reading (α, σ, λ as in the package glossary).
 * The integrators in t (Euler on a flow model, midpoint, RK4) step along the flow velocity
 * û = α′·x̂₀ + σ′·ε̂ (Lipman et al. 2023, "Flow matching for generative modeling", eq. 10;
 * de Freitas 2026, "Diffusion and flow matching tutorial", §7.3), on the linear interpolant ε̂ − x̂₀.
 */
public final class UpdateEquation {

    private UpdateEquation() {
    }

    /**
     * @param before the time of the step before t (DPM-Solver++'s history), NaN on the first step
     * @param eta    DDIM's η
     */
    public static String update(SamplerKind kind, GaussianPath p, double t, double s, double before, double eta) {
        String head = "t = %s → s = %s:   ".formatted(Format.number(t), Format.number(s));
        boolean flow = PathFamily.of(p) == PathFamily.FLOW;
        return head + switch (kind) {
            case DDIM -> ddim(p, t, s, eta);
            case DDPM -> ddpm(p, t, s);
            case DPM_SOLVER_PP -> dpmSolverPP(p, t, s, before);
            case EULER -> flow ? eulerInT(p, t, s) : ode(p, t);
            case MIDPOINT -> midpoint(p, t, s);
            case RK4 -> rungeKutta4(p, t, s);
            case HEUN -> p.alpha(t) == 0 || s == 0 ? heunEulerOnly(p, t, s) : ode(p, t);
            default -> ode(p, t);
        };
    }

    /** The flow velocity at t: û = α′·x̂₀ + σ′·ε̂ with both coefficients' values (on the interpolant −1 and 1). */
    public static String velocity(GaussianPath p, double t) {
        return "û = α′·x̂₀ + σ′·ε̂ = %s·x̂₀ + %s·ε̂".formatted(Format.number(p.alphaPrime(t)), Format.number(p.sigmaPrime(t)));
    }

    /**
     * Euler in t on dx/dt = û (the flow ODE): xₛ = xₜ + (s − t)·û. On the linear interpolant this
     * is also the solver's own step, x_s = α_s·x̂₀ + σ_s·ε̂ (see {@code Euler}): the same number.
     * The integrators in t write û on a second line: one line would not fit a 1024-pixel window.
     */
    static String eulerInT(GaussianPath p, double t, double s) {
        return "xₛ = xₜ + (s − t)·û = xₜ − %s·û\n%s".formatted(Format.number(t - s), velocity(p, t)); // s < t
    }

    /** The midpoint rule in t (2 evaluations): xₛ = xₜ + h·û(xₜ + (h/2)·û(xₜ, t), t + h/2), h = s − t. */
    static String midpoint(GaussianPath p, double t, double s) {
        double h = s - t;
        return "xₛ = xₜ + h·û(xₜ + (h/2)·û, t + h/2),  h = %s,  t + h/2 = %s\n%s".formatted(Format.number(h),
                Format.number(t + h / 2), velocity(p, t));
    }

    /**
     * Classical RK4 in t (4 evaluations): xₛ = xₜ + (h/6)·(k₁ + 2k₂ + 2k₃ + k₄), the kᵢ = û at t,
     * t + h/2 (twice) and s. Where û is undefined at s = 0 (a VP path) the last step is the jump to x̂₀.
     */
    static String rungeKutta4(GaussianPath p, double t, double s) {
        if (s == 0 && !RungeKutta4.integratesToZero(p)) return "xₛ = x̂₀   (the last step: û is undefined at t = 0 on this path)";
        double h = s - t;
        return "xₛ = xₜ + (h/6)·(k₁ + 2k₂ + 2k₃ + k₄),  h = %s,  kᵢ = û at t, t + h/2 (twice), s\n%s"
                .formatted(Format.number(h), velocity(p, t));
    }

    /**
     * Heun's steps that take no corrector (Karras et al. 2022, Algorithm 1): the last one, and one
     * from α = 0 (the linear interpolant's t = 1, where σ/α is infinite) — an Euler step, αₛ·x̂₀ + σₛ·ε̂.
     */
    static String heunEulerOnly(GaussianPath p, double t, double s) {
        return "xₛ = αₛ·x̂₀ + σₛ·ε̂ = %s·x̂₀ + %s·ε̂   (Euler alone: %s)".formatted(Format.number(p.alpha(s)),
                Format.number(p.sigma(s)), s == 0 ? "the last step" : "no corrector from α = 0");
    }

    /** DDIM (Song et al. 2021, eq. 12): xₛ = αₛ·x̂₀ + √(σₛ² − σ_η²)·ε̂ + σ_η·z. */
    static String ddim(GaussianPath p, double t, double s, double eta) {
        double oneMinusSnrRatio = -Math.expm1(p.logSnr(t) - p.logSnr(s));
        double noise = eta * p.sigma(s) * Math.sqrt(oneMinusSnrRatio);
        double direction = p.sigma(s) * Math.sqrt(1 - eta * eta * oneMinusSnrRatio);
        if (eta == 0 || s == 0) {
            return "xₛ = αₛ·x̂₀ + σₛ·ε̂ = %s·x̂₀ + %s·ε̂".formatted(Format.number(p.alpha(s)), Format.number(direction));
        }
        return "xₛ = αₛ·x̂₀ + √(σₛ² − σ_η²)·ε̂ + σ_η·z = %s·x̂₀ + %s·ε̂ + %s·z".formatted(
                Format.number(p.alpha(s)), Format.number(direction), Format.number(noise));
    }

    /** DDPM ancestral (Ho et al. 2020, eq. 7, σ² = β̃): xₛ = μ(x̂₀, xₜ) + σ·z. */
    static String ddpm(GaussianPath p, double t, double s) {
        double at = p.alpha(t), as = p.alpha(s), st2 = p.sigma(t) * p.sigma(t), ss2 = p.sigma(s) * p.sigma(s);
        double transition = st2 - (at / as) * (at / as) * ss2;
        double a = as * transition / st2, b = (at / as) * ss2 / st2;
        double noise = s == 0 ? 0 : Math.sqrt(transition * ss2 / st2);
        return "xₛ = μ + σ·z = %s·x̂₀ + %s·xₜ + %s·z".formatted(Format.number(a), Format.number(b), Format.number(noise));
    }

    /** DPM-Solver++(2M) (Lu et al. 2022b, Alg. 2), λ = log(α/σ): xₛ = (σₛ/σₜ)·xₜ − αₛ(e^{−h} − 1)·D. */
    static String dpmSolverPP(GaussianPath p, double t, double s, double before) {
        if (s == 0) return "xₛ = x̂₀   (the last step)";
        double lt = 0.5 * p.logSnr(t), h = 0.5 * p.logSnr(s) - lt;
        String step = "xₛ = (σₛ/σₜ)·xₜ − αₛ(e⁻ʰ − 1)·D = %s·xₜ + %s·D,  h = %s".formatted(
                Format.number(p.sigma(s) / p.sigma(t)), Format.number(-p.alpha(s) * Math.expm1(-h)), Format.number(h));
        if (Double.isNaN(before)) return step + ",  D = x̂₀ (first step)";
        double r = (lt - 0.5 * p.logSnr(before)) / h;
        return step + ",  D = (1 + 1/2r)·x̂₀ − (1/2r)·x̂₀′ = %s·x̂₀ − %s·x̂₀′,  r = %s".formatted(
                Format.number(1 + 1 / (2 * r)), Format.number(1 / (2 * r)), Format.number(r));
    }

    /**
     * The probability-flow ODE in ε-form that Euler, Heun and DPM-Solver integrate (and the lab's
     * exact solution solves): dx/dt = (α′/α)·x + (σ′ − σ·α′/α)·ε̂, with its two coefficients at t.
     */
    public static String ode(GaussianPath p, double t) {
        double a = p.alphaPrime(t) / p.alpha(t), b = p.sigmaPrime(t) - p.sigma(t) * a;
        return "dx/dt = (α′/α)·x + (σ′ − σα′/α)·ε̂ = %s·x + %s·ε̂".formatted(Format.number(a), Format.number(b));
    }

    /** Classifier-free guidance (Ho & Salimans 2022): ε̂ = (1 − w)·ε̂(xₜ) + w·ε̂(xₜ, c); "" when the run is unconditional. */
    public static String guidance(double w, boolean conditional) {
        return guidance(w, conditional, "ε̂");
    }

    /**
     * Guidance written in the network's own output: û for a velocity (flow) model, ε̂ otherwise. The
     * mix is the same in either (the outputs are affine in one another at fixed xₜ, see
     * {@code ClassifierFreeGuidance}), but a flow model mixes its velocities.
     */
    public static String guidance(double w, boolean conditional, Parameterization output) {
        return guidance(w, conditional, output == Parameterization.U ? "û" : "ε̂");
    }

    private static String guidance(double w, boolean conditional, String o) {
        if (!conditional) return "%s = %s(xₜ)   (unconditional: no guidance)".formatted(o, o);
        if (w == 1) return "%s = %s(xₜ, c)   (w = 1: the conditional model as it is)".formatted(o, o);
        return "%s = (1 − w)·%s(xₜ) + w·%s(xₜ, c) = %s·%s(xₜ) + %s·%s(xₜ, c)".formatted(o, o, o, Format.number(1 - w), o,
                Format.number(w), o);
    }
}
