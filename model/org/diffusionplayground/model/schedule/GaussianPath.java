package org.diffusionplayground.model.schedule;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian probability path: the forward process x_t = α(t)·x0 + σ(t)·ε, ε ~ N(0, I), in
 * continuous time t ∈ [0, 1] from data (t = 0: α = 1, σ = 0) to noise (t = 1). Every
 * continuous sampler is written against this interface alone — in α, σ, their time derivatives
 * and the log-SNR λ — so a diffusion model and a flow-matching model run through the same
 * samplers (Kingma et al. 2021, "Variational diffusion models", §3; the affine paths of Lipman
 * et al. 2023, "Flow matching for generative modeling", §4.1, and of de Freitas 2026, "Diffusion
 * and flow matching tutorial", §7, eq. 32).
 *
 * <p>Requirements on an implementation: λ(t) = log(α²/σ²) strictly decreasing, λ(0) = +∞
 * (α(0) = 1, σ(0) = 0) or nearly so (the shifted cosine stops at λ = 15 + shift), α falling and
 * σ rising; α(1) may be 0 (λ(1) = −∞), as it is for {@link LinearInterpolant}.
 * Implementations: {@link NoiseSchedule} (variance preserving, α² + σ² = 1) and
 * {@link LinearInterpolant} (α = 1 − t, σ = t).
 *
 * <p>Notation (see package-info): α = alpha, σ = sigma, α' = dα/dt = alphaPrime,
 * σ' = dσ/dt = sigmaPrime, λ = logSnr.
 */
public interface GaussianPath {

    /** A short name, e.g. "linear" or "linear-interpolant". */
    String name();

    /**
     * T: the number of steps of the nominal grid t_i = (i + 1)/T that spacings pick from; the
     * training grid for discrete schedules, a convention for continuous ones.
     */
    int steps();

    /** The signal coefficient α(t). */
    double alpha(double t);

    /** The noise coefficient σ(t). */
    double sigma(double t);

    /** dα/dt. */
    double alphaPrime(double t);

    /** dσ/dt (+∞ where σ has a square-root start, as VP schedules at t = 0). */
    double sigmaPrime(double t);

    /** λ(t) = log(α²/σ²): +∞ at t = 0, −∞ where α = 0. */
    default double logSnr(double t) {
        return 2 * (Math.log(alpha(t)) - Math.log(sigma(t)));
    }

    /**
     * The time at which λ(t) = logSnr: the inverse that log-SNR spacings and DPM-Solver's
     * intermediate times need. By default bisection (λ is strictly decreasing), 100 halvings.
     */
    default double timeOfLogSnr(double logSnr) {
        double lo = 0, hi = 1;
        for (int k = 0; k < 100; k++) {
            double mid = 0.5 * (lo + hi);
            if (logSnr(mid) > logSnr) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** The time of nominal step i: t_i = (i + 1)/T. */
    default double timeOf(int i) {
        if (i < 0 || i >= steps()) throw new IllegalArgumentException(
                "step %d outside [0, %d)".formatted(i, steps()));
        return (i + 1.0) / steps();
    }

    /** α, σ, α', σ' at t, for the conversions of {@link Parameterization}. */
    default Coefficients coefficients(double t) {
        return new Coefficients(alpha(t), sigma(t), alphaPrime(t), sigmaPrime(t));
    }

    /** The forward process q(x_t | x0): x_t = α_t·x0 + σ_t·ε (Ho et al. 2020, eq. 4, for VP). */
    default INDArray addNoise(INDArray x0, INDArray eps, double t) {
        Objects.requireNonNull(x0, "x0");
        if (!Arrays.equals(x0.shape(), eps.shape())) {
            throw new IllegalArgumentException("x0 %s and eps %s differ in shape".formatted(
                    Arrays.toString(x0.shape()), Arrays.toString(eps.shape())));
        }
        return x0.mul(alpha(t)).addi(eps.mul(sigma(t)));
    }

    /**
     * The path a stored config names: {@value LinearInterpolant#NAME} (flow matching) or a
     * {@link ScheduleKind} name (a diffusion schedule with its paper's defaults); the message
     * lists every valid name.
     */
    static GaussianPath named(String name) {
        Objects.requireNonNull(name, "path name");
        if (name.trim().equalsIgnoreCase(LinearInterpolant.NAME)) return LinearInterpolant.defaults();
        try {
            return ScheduleKind.parse(name).create();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown schedule '%s' (valid: %s, %s)".formatted(name,
                    ScheduleKind.names(), LinearInterpolant.NAME), e);
        }
    }

    /** Rejects t outside [0, 1], naming it. */
    static double checkTime(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("t (%s) outside [0, 1]".formatted(t));
        return t;
    }
}
