package org.diffusionplayground.model.schedule;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A variance-preserving Gaussian noise schedule: x_t = α_t·x0 + σ_t·ε with α_t² + σ_t² = 1.
 *
 * <p>Every schedule is a function of continuous time t ∈ [0, 1] (t = 0 clean, t = 1 noise), held
 * as log ᾱ(t). Discrete schedules of T steps (DDPM, cosine) put step i ∈ [0, T) at
 * t_i = (i + 1)/T and interpolate log ᾱ linearly between those knots, with ᾱ(0) = 1 — the
 * "discrete-time" convention of DPM-Solver (Lu et al. 2022, App. D.1), so every sampler sees one
 * continuous schedule. Continuous schedules still expose a nominal grid of {@link #steps()}
 * for spacings and per-step β.
 *
 * <p>Notation (see package-info): ᾱ = alphaBar, α = √ᾱ (signal coefficient), σ = √(1−ᾱ)
 * (noise coefficient), SNR = α²/σ², λ = log SNR, β(t) = −d log ᾱ/dt (the VP SDE's rate).
 */
public final class NoiseSchedule {

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
     * where the unshifted λ is 15 and −15 (seed 003 §2.3; Hoogeboom et al. 2023, "simple
     * diffusion", eq. 6 uses shift = 2 log(64/d)). α² = sigmoid(λ), σ² = sigmoid(−λ).
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

    public String name() { return name; }

    /** T: the number of steps of the (nominal, for continuous schedules) training grid. */
    public int steps() { return steps; }

    /** The continuous time of discrete step i: t_i = (i + 1)/T. */
    public double timeOf(int i) {
        if (i < 0 || i >= steps) throw new IllegalArgumentException(
                "step %d outside [0, %d)".formatted(i, steps));
        return (i + 1.0) / steps;
    }

    public double logAlphaBar(double t) { return logAlphaBar.applyAsDouble(checkTime(t)); }

    public double alphaBar(double t) { return Math.exp(logAlphaBar(t)); }

    /** Signal coefficient α_t = √ᾱ_t. */
    public double alpha(double t) { return Math.exp(0.5 * logAlphaBar(t)); }

    /** Noise coefficient σ_t = √(1 − ᾱ_t). */
    public double sigma(double t) { return Math.sqrt(-Math.expm1(logAlphaBar(t))); }

    public double snr(double t) { return Math.exp(logSnr(t)); }

    /** λ_t = log(ᾱ/(1 − ᾱ)); +∞ where the schedule is clean (ᾱ = 1). */
    public double logSnr(double t) {
        double la = logAlphaBar(t);
        return la - Math.log(-Math.expm1(la));
    }

    /** β(t) = −d log ᾱ/dt, the rate of the VP SDE dx = −½β x dt + √β dw. */
    public double betaRate(double t) { return betaRate.applyAsDouble(checkTime(t)); }

    /** Discrete β_i = 1 − ᾱ_i/ᾱ_{i−1} on the step grid (ᾱ_{−1} = 1). */
    public double beta(int i) {
        double prev = i == 0 ? 0 : logAlphaBar(timeOf(i - 1));
        return -Math.expm1(logAlphaBar(timeOf(i)) - prev);
    }

    /** ᾱ_i of discrete step i. */
    public double alphaBarAt(int i) { return alphaBar(timeOf(i)); }

    /** The time at which λ(t) = logSnr, found by bisection (λ is strictly decreasing). */
    public double timeOfLogSnr(double logSnr) {
        double lo = 0, hi = 1;
        for (int k = 0; k < 100; k++) {
            double mid = 0.5 * (lo + hi);
            if (logSnr(mid) > logSnr) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** The forward process q(x_t | x0): x_t = α_t·x0 + σ_t·ε (Ho et al. 2020, eq. 4). */
    public INDArray addNoise(INDArray x0, INDArray eps, double t) {
        Objects.requireNonNull(x0, "x0");
        if (!java.util.Arrays.equals(x0.shape(), eps.shape())) {
            throw new IllegalArgumentException("x0 %s and eps %s differ in shape".formatted(
                    java.util.Arrays.toString(x0.shape()), java.util.Arrays.toString(eps.shape())));
        }
        return x0.mul(alpha(t)).addi(eps.mul(sigma(t)));
    }

    @Override public String toString() { return name + "(T=" + steps + ")"; }

    private static double checkTime(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("t (%s) outside [0, 1]".formatted(t));
        return t;
    }

    private static double clamp01(double t) { return Math.max(0, Math.min(1, t)); }

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    static double softplus(double z) { return z > 30 ? z : Math.log1p(Math.exp(z)); }

    private static void requireSteps(int steps) {
        if (steps < 1 || steps > 100_000) {
            throw new IllegalArgumentException("steps (%d) must be in [1, 100000]".formatted(steps));
        }
    }
}
