package org.diffusionplayground.model.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * A variance-preserving Gaussian noise schedule: the {@link GaussianPath} x_t = α_t·x0 + σ_t·ε
 * with α_t² + σ_t² = 1.
 *
 * <p>Every schedule is a function of continuous time t ∈ [0, 1] (t = 0 clean, t = 1 noise), held
 * as log ᾱ(t). Discrete schedules of T steps (DDPM, cosine) put step i ∈ [0, T) at
 * t_i = (i + 1)/T and interpolate log ᾱ linearly between those knots, with ᾱ(0) = 1 — the
 * "discrete-time" convention of DPM-Solver (Lu et al. 2022, App. D.1), so every sampler sees one
 * continuous schedule. Continuous schedules still expose a nominal grid of {@link #steps()}
 * for spacings and per-step β.
 *
 * <p>Notation (see package-info): ᾱ = alphaBar, α = √ᾱ (signal coefficient), σ = √(1−ᾱ)
 * (noise coefficient), SNR = α²/σ², λ = log SNR, β(t) = −d log ᾱ/dt (the VP SDE's rate), so
 * α' = −½β·α and σ' = ½β·ᾱ/σ. The VP-only quantities (ᾱ, β, discrete steps) stay here for the
 * pages that show them; samplers use only the {@link GaussianPath} view.
 */
public final class NoiseSchedule implements GaussianPath {

    private final String name;
    private final int steps;
    private final DoubleUnaryOperator logAlphaBar;
    private final DoubleUnaryOperator betaRate;

    private NoiseSchedule(String name, int steps, DoubleUnaryOperator logAlphaBar,
                          DoubleUnaryOperator betaRate) {
        this.name = name;
        this.steps = steps;
        this.logAlphaBar = logAlphaBar;
        this.betaRate = betaRate;
    }

    /** DDPM linear β_i from betaStart to betaEnd over T steps (Ho et al. 2020, §4). */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        requireSteps(steps);
        if (!(betaStart > 0 && betaEnd > betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException(
                    "need 0 < betaStart (%s) < betaEnd (%s) < 1".formatted(betaStart, betaEnd));
        }
        double[] beta = new double[steps];
        for (int i = 0; i < steps; i++) {
            beta[i] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * i / (steps - 1);
        }
        return discrete("linear", beta);
    }

    /** The DDPM defaults: T = 1000, β from 1e-4 to 0.02. */
    public static NoiseSchedule ddpm() {
        return linear(1000, 1e-4, 0.02);
    }

    /**
     * Cosine ᾱ(t) = f(t)/f(0), f(t) = cos²((t + s)/(1 + s)·π/2), β_i = 1 − ᾱ_i/ᾱ_{i−1} clipped at
     * 0.999 (Nichol & Dhariwal 2021, eq. 17).
     */
    public static NoiseSchedule cosine(int steps, double s) {
        requireSteps(steps);
        if (!(s >= 0)) throw new IllegalArgumentException("offset s (%s) must be ≥ 0".formatted(s));
        DoubleUnaryOperator f = t -> Math.pow(Math.cos((t + s) / (1 + s) * Math.PI / 2), 2);
        double[] beta = new double[steps];
        for (int i = 0; i < steps; i++) {
            double t0 = (double) i / steps, t1 = (double) (i + 1) / steps;
            beta[i] = Math.min(1 - f.applyAsDouble(t1) / f.applyAsDouble(t0), 0.999);
        }
        return discrete("cosine", beta);
    }

    /** Improved-DDPM cosine defaults: T = 1000, s = 0.008. */
    public static NoiseSchedule cosine() {
        return cosine(1000, 0.008);
    }

    /**
     * Shifted-cosine log-SNR: λ(t) = −2 log tan(θ(t)) + shift, θ linear in t between the angles
     * where the unshifted λ is 15 and −15 (de Freitas 2026, "Diffusion and flow matching
     * tutorial", §2.3; Hoogeboom et al. 2023, "simple diffusion", eq. 6 uses shift =
     * 2 log(64/d)). α² = sigmoid(λ), σ² = sigmoid(−λ).
     */
    public static NoiseSchedule shiftedCosine(double shift) {
        if (!Double.isFinite(shift)) throw new IllegalArgumentException("shift must be finite");
        double lo = Math.atan(Math.exp(-0.5 * 15.0)), hi = Math.atan(Math.exp(-0.5 * -15.0));
        DoubleUnaryOperator logSnr = t -> -2 * Math.log(Math.tan(lo + t * (hi - lo))) + shift;
        DoubleUnaryOperator logAlphaBar = t -> -softplus(-logSnr.applyAsDouble(t));
        // β(t) = −d log ᾱ/dt = sigmoid(−λ)·(−dλ/dt), dλ/dt = −2(hi−lo)/(sin θ cos θ)
        DoubleUnaryOperator rate = t -> {
            double theta = lo + t * (hi - lo);
            double dLogSnr = -2 * (hi - lo) / (Math.sin(theta) * Math.cos(theta));
            return -sigmoid(-logSnr.applyAsDouble(t)) * dLogSnr;
        };
        String name = shift == 0 ? "cosine-logsnr" : "shifted-cosine(%+.2f)".formatted(shift);
        return new NoiseSchedule(name, 1000, logAlphaBar, rate);
    }

    /**
     * VP SDE, β(t) = β_min + t(β_max − β_min), log ᾱ(t) = −β_min t − ½(β_max − β_min)t²
     * (Song et al. 2021, "Score-based generative modeling through SDEs", eq. 11 and App. B).
     */
    public static NoiseSchedule vp(double betaMin, double betaMax) {
        if (!(betaMin > 0 && betaMax > betaMin)) {
            throw new IllegalArgumentException(
                    "need 0 < betaMin (%s) < betaMax (%s)".formatted(betaMin, betaMax));
        }
        return new NoiseSchedule("vp", 1000,
                t -> -betaMin * t - 0.5 * (betaMax - betaMin) * t * t,
                t -> betaMin + t * (betaMax - betaMin));
    }

    /** VP defaults: β_min = 0.1, β_max = 20. */
    public static NoiseSchedule vp() {
        return vp(0.1, 20.0);
    }

    /** log ᾱ interpolated linearly between the knots t_i = (i+1)/T, with log ᾱ(0) = 0. */
    private static NoiseSchedule discrete(String name, double[] beta) {
        int steps = beta.length;
        double[] knots = new double[steps + 1]; // knots[j] = log ᾱ at t = j/T
        for (int i = 0; i < steps; i++) knots[i + 1] = knots[i] + Math.log1p(-beta[i]);
        DoubleUnaryOperator logAlphaBar = t -> {
            double u = clamp01(t) * steps;
            int j = Math.min((int) Math.floor(u), steps - 1);
            return knots[j] + (u - j) * (knots[j + 1] - knots[j]);
        };
        DoubleUnaryOperator rate = t -> {
            int j = Math.min((int) Math.floor(clamp01(t) * steps), steps - 1);
            return -(knots[j + 1] - knots[j]) * steps;
        };
        return new NoiseSchedule(name, steps, logAlphaBar, rate);
    }

    @Override public String name() { return name; }

    /** T: the number of steps of the (nominal, for continuous schedules) training grid. */
    @Override public int steps() { return steps; }

    public double logAlphaBar(double t) { return logAlphaBar.applyAsDouble(GaussianPath.checkTime(t)); }

    public double alphaBar(double t) { return Math.exp(logAlphaBar(t)); }

    /** Signal coefficient α_t = √ᾱ_t. */
    @Override public double alpha(double t) { return Math.exp(0.5 * logAlphaBar(t)); }

    /** Noise coefficient σ_t = √(1 − ᾱ_t). */
    @Override public double sigma(double t) { return Math.sqrt(-Math.expm1(logAlphaBar(t))); }

    /** dα/dt = ½·α·d log ᾱ/dt = −½β(t)·α_t. */
    @Override public double alphaPrime(double t) { return -0.5 * betaRate(t) * alpha(t); }

    /** dσ/dt = −½·(dᾱ/dt)/σ = ½β(t)·ᾱ_t/σ_t; +∞ at t = 0. */
    @Override public double sigmaPrime(double t) { return 0.5 * betaRate(t) * alphaBar(t) / sigma(t); }

    public double snr(double t) { return Math.exp(logSnr(t)); }

    /** λ_t = log(ᾱ/(1 − ᾱ)); +∞ where the schedule is clean (ᾱ = 1). */
    @Override
    public double logSnr(double t) {
        double la = logAlphaBar(t);
        return la - Math.log(-Math.expm1(la));
    }

    /** β(t) = −d log ᾱ/dt, the rate of the VP SDE dx = −½β x dt + √β dw. */
    public double betaRate(double t) { return betaRate.applyAsDouble(GaussianPath.checkTime(t)); }

    /** Discrete β_i = 1 − ᾱ_i/ᾱ_{i−1} on the step grid (ᾱ_{−1} = 1). */
    public double beta(int i) {
        double prev = i == 0 ? 0 : logAlphaBar(timeOf(i - 1));
        return -Math.expm1(logAlphaBar(timeOf(i)) - prev);
    }

    /** ᾱ_i of discrete step i. */
    public double alphaBarAt(int i) { return alphaBar(timeOf(i)); }

    @Override public String toString() { return name + "(T=" + steps + ")"; }

    private static double clamp01(double t) { return Math.max(0, Math.min(1, t)); }

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    static double softplus(double z) { return z > 30 ? z : Math.log1p(Math.exp(z)); }

    private static void requireSteps(int steps) {
        if (steps < 1 || steps > 100_000) {
            throw new IllegalArgumentException("steps (%d) must be in [1, 100000]".formatted(steps));
        }
    }
}
