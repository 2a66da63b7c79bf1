package org.diffusionplayground.app.reverse;

import org.diffusionplayground.app.Format;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.GaussianPath;

/**
 * The equation the Reverse page animates, with every coefficient's value at the step shown: the
 * sampler's update from t to s (s = the next, less noisy time) and classifier-free guidance. The
 * same arithmetic as the solvers, written out for reading (α, σ, λ as in the package glossary).
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
        return head + switch (kind) {
            case DDIM -> ddim(p, t, s, eta);
            case DDPM -> ddpm(p, t, s);
            case DPM_SOLVER_PP -> dpmSolverPP(p, t, s, before);
            default -> ode(p, t);
        };
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
        if (!conditional) return "ε̂ = ε̂(xₜ)   (unconditional: no guidance)";
        if (w == 1) return "ε̂ = ε̂(xₜ, c)   (w = 1: the conditional model as it is)";
        return "ε̂ = (1 − w)·ε̂(xₜ) + w·ε̂(xₜ, c) = %s·ε̂(xₜ) + %s·ε̂(xₜ, c)".formatted(Format.number(1 - w), Format.number(w));
    }
}
