package org.diffusionplayground.model.schedule;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward-process posterior q(x_s | x_t, x0) for s &lt; t on any {@link GaussianPath}, a
 * Gaussian with (Kingma et al. 2021, "Variational diffusion models", eqs. 4 and 29–31)
 * <pre>
 *   α_{t|s} = α_t/α_s,   σ²_{t|s} = σ_t² − α_{t|s}²·σ_s²        (q(x_t | x_s) = N(α_{t|s}·x_s, σ²_{t|s}))
 *   mean     = (α_s·σ²_{t|s}/σ_t²)·x0 + (α_{t|s}·σ_s²/σ_t²)·x_t
 *   variance = σ²_{t|s}·σ_s²/σ_t²
 * </pre>
 * Computed through the SNR ratio, which has no cancellation when s and t are close:
 * α_{t|s}²·σ_s²/σ_t² = SNR(t)/SNR(s) = e^{λ_t − λ_s}, so σ²_{t|s}/σ_t² = −expm1(λ_t − λ_s) and
 * <pre>
 *   coefX0 = α_s·(1 − e^{λ_t − λ_s}),  coefXt = (α_t/α_s)·σ_s²/σ_t²,  variance = (1 − e^{λ_t − λ_s})·σ_s²
 * </pre>
 * For adjacent DDPM steps this is Ho et al. 2020, eqs. 6–7, with variance β̃_t. At s = 0
 * (λ_s = +∞) it returns x0 exactly; at t = 1 of a path with α(1) = 0 (λ_t = −∞) x_t carries
 * no information and the mean is α_s·x0, the variance σ_s².
 */
public record Posterior(double coefX0, double coefXt, double variance) {

    public static Posterior of(GaussianPath path, double t, double s) {
        requireOrder(t, s);
        double alphaT = path.alpha(t), alphaS = path.alpha(s), sigmaT = path.sigma(t), sigmaS = path.sigma(s);
        double oneMinusSnrRatio = -Math.expm1(path.logSnr(t) - path.logSnr(s)); // σ²_{t|s}/σ_t²
        return new Posterior(alphaS * oneMinusSnrRatio, alphaT / alphaS * (sigmaS * sigmaS) / (sigmaT * sigmaT),
                oneMinusSnrRatio * sigmaS * sigmaS);
    }

    /**
     * σ²_{t|s} = σ_t² − α_{t|s}²·σ_s² = σ_t²·(1 − e^{λ_t − λ_s}), the variance of the forward
     * transition q(x_t | x_s); β_t for adjacent DDPM steps (DDPM's "fixed large" variance).
     */
    public static double transitionVariance(GaussianPath path, double t, double s) {
        requireOrder(t, s);
        double sigmaT = path.sigma(t);
        return -Math.expm1(path.logSnr(t) - path.logSnr(s)) * sigmaT * sigmaT;
    }

    public INDArray mean(INDArray x0, INDArray xt) {
        return x0.mul(coefX0).addi(xt.mul(coefXt));
    }

    private static void requireOrder(double t, double s) {
        if (!(s < t)) throw new IllegalArgumentException("need s (%s) < t (%s)".formatted(s, t));
    }
}
