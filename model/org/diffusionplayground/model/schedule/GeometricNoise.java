package org.diffusionplayground.model.schedule;

/**
 * The geometric noise of score-entropy discrete diffusion (SEDD; Lou, Meng &amp; Ermon 2023,
 * "Discrete diffusion modeling by estimating the ratios of the data distribution", §3.3 and
 * App. C.1; the "GeometricNoise" of "The annotated discrete diffusion models"):
 * <pre>
 *   total noise  σ̄(t) = σ_min^(1−t)·σ_max^t
 *   rate         σ(t) = dσ̄/dt = σ̄(t)·log(σ_max/σ_min)
 * </pre>
 * The forward process is the continuous-time Markov chain with rate matrix σ(t)·Q, so its
 * transition matrix from time 0 is exp(σ̄(t)·Q). The annotated tutorial calls σ̄ "the integral of σ"; strictly
 * ∫₀ᵗσ = σ̄(t) − σ_min, and SEDD's code uses σ̄ as written above (σ̄(0) = σ_min, negligible):
 * we follow the paper and its code.
 *
 * @param sigmaMin σ̄(0), &gt; 0
 * @param sigmaMax σ̄(1), &gt; sigmaMin
 */
public record GeometricNoise(double sigmaMin, double sigmaMax) {

    public GeometricNoise {
        if (!(sigmaMin > 0 && sigmaMax > sigmaMin && Double.isFinite(sigmaMax))) {
            throw new IllegalArgumentException("need 0 < sigmaMin (%s) < sigmaMax (%s) < ∞"
                    .formatted(sigmaMin, sigmaMax));
        }
    }

    /** SEDD's defaults: σ_min = 1e-4, σ_max = 20. */
    public static GeometricNoise sedd() {
        return new GeometricNoise(1e-4, 20.0);
    }

    public static GeometricNoise of(double sigmaMin, double sigmaMax) {
        return new GeometricNoise(sigmaMin, sigmaMax);
    }

    /** σ̄(t) = σ_min^(1−t)·σ_max^t, computed as exp of the interpolated logs. */
    public double totalNoise(double t) {
        checkTime(t);
        return Math.exp((1 - t) * Math.log(sigmaMin) + t * Math.log(sigmaMax));
    }

    /** σ(t) = dσ̄/dt = σ̄(t)·log(σ_max/σ_min). */
    public double rate(double t) {
        return totalNoise(t) * Math.log(sigmaMax / sigmaMin);
    }

    /** The name a checkpoint stores, e.g. "geometric 1.0E-4 to 20.0"; {@link #parse} reads it back. */
    public String name() {
        return "geometric " + sigmaMin + " to " + sigmaMax;
    }

    /** The schedule named by {@link #name()}. */
    public static GeometricNoise parse(String name) {
        String[] parts = name == null || !name.startsWith("geometric ") ? new String[0] : name.substring(10).split(" to ");
        try {
            if (parts.length == 2) return new GeometricNoise(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("'%s' is not a geometric noise schedule (e.g. '%s')".formatted(name, sedd().name()));
    }

    /**
     * For the uniform rate matrix Q = 11ᵀ/N − I (SEDD §3.3, Q^uniform), exp(σ̄Q) = e^(−σ̄)·I +
     * (1 − e^(−σ̄))·11ᵀ/N: a token is resampled uniformly (possibly to itself) with probability
     * 1 − e^(−σ̄(t)), this.
     */
    public double resampleProbability(double t) {
        return -Math.expm1(-totalNoise(t));
    }

    /**
     * For the uniform rate matrix over {@code characters} = N states, the probability that a token
     * differs from its clean value at time t: it is resampled with probability p = 1 − e^(−σ̄(t))
     * ({@link #resampleProbability}) and lands on another state with probability 1 − 1/N, so
     * p·(1 − 1/N). One minus it, e^(−σ̄) + (1 − e^(−σ̄))/N, is the probability that it is still
     * clean: the diagonal of exp(σ̄Q^uniform) (SEDD §3.3).
     */
    public double changedProbability(double t, int characters) {
        if (characters < 2) throw new IllegalArgumentException("characters (%d) must be ≥ 2".formatted(characters));
        return resampleProbability(t) * (1 - 1.0 / characters);
    }

    /**
     * For the absorbing (masking) rate matrix, the probability that a token is masked by time t:
     * 1 − exp(−σ̄(t)) (SEDD §3.3, Q^absorb).
     */
    public double maskProbability(double t) {
        return -Math.expm1(-totalNoise(t));
    }

    static void checkTime(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("t (%s) outside [0, 1]".formatted(t));
    }
}
