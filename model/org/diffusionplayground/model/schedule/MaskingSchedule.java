package org.diffusionplayground.model.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * The schedule of masked (absorbing-state) diffusion: each token is still unmasked at time t with
 * probability α_t, decreasing from α_0 = 1 to α_1 = 0 (MDLM; Sahoo et al. 2024, "Simple and
 * effective masked diffusion language models", §3).
 * <pre>
 *   q(x_t | x0)  = α_t·δ(x0) + (1 − α_t)·δ([M])
 *   unmask s &lt; t: a token masked at t is revealed at s with probability (α_s − α_t)/(1 − α_t)
 *   NELBO         = ∫₀¹ −α'_t/(1 − α_t) · E[Σ_{masked i} −log p_θ(x0ⁱ | x_t)] dt        (eq. 10)
 * </pre>
 * The weight is −α'_t/(1 − α_t) as in the paper's eq. 10, not −α'_t alone: for the linear
 * schedule it is 1/t. Samplers use {@link #unmaskProbability} ({@code sampling.tokens.MaskedAncestral}).
 */
public final class MaskingSchedule {

    private final String name;
    private final DoubleUnaryOperator alpha;
    private final DoubleUnaryOperator alphaPrime;

    private MaskingSchedule(String name, DoubleUnaryOperator alpha, DoubleUnaryOperator alphaPrime) {
        this.name = name;
        this.alpha = alpha;
        this.alphaPrime = alphaPrime;
    }

    /** MDLM's linear schedule α_t = 1 − t, α'_t = −1 (Sahoo et al. 2024, §3.5). */
    public static MaskingSchedule linear() {
        return new MaskingSchedule("mdlm-linear", t -> 1 - t, t -> -1);
    }

    public String name() { return name; }

    /** α_t: the probability that a token is still unmasked at time t. */
    public double alpha(double t) {
        GeometricNoise.checkTime(t);
        return alpha.applyAsDouble(t);
    }

    /** dα_t/dt (≤ 0). */
    public double alphaPrime(double t) {
        GeometricNoise.checkTime(t);
        return alphaPrime.applyAsDouble(t);
    }

    /** 1 − α_t: the probability that a token is masked at time t. */
    public double maskProbability(double t) {
        return 1 - alpha(t);
    }

    /** The NELBO weight −α'_t/(1 − α_t) on the masked cross-entropy (eq. 10); needs t &gt; 0. */
    public double elboWeight(double t) {
        if (!(t > 0)) throw new IllegalArgumentException("elboWeight needs t (%s) > 0".formatted(t));
        return -alphaPrime(t) / (1 - alpha(t));
    }

    /**
     * The probability that a token masked at time t is unmasked at s &lt; t:
     * (α_s − α_t)/(1 − α_t) (MDLM eq. 7).
     */
    public double unmaskProbability(double t, double s) {
        if (!(s < t)) throw new IllegalArgumentException("need s (%s) < t (%s)".formatted(s, t));
        return (alpha(s) - alpha(t)) / (1 - alpha(t));
    }

    @Override public String toString() { return name; }
}
