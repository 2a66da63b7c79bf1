package org.diffusionplayground.model.schedule;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward-process posterior q(x_s | x_t, x0) for s &lt; t, a Gaussian with
 * <pre>
 *   α_{t|s} = α_t/α_s,   σ²_{t|s} = σ_t² − α_{t|s}²·σ_s²
 *   mean     = (α_s·σ²_{t|s}/σ_t²)·x0 + (α_{t|s}·σ_s²/σ_t²)·x_t
 *   variance = σ²_{t|s}·σ_s²/σ_t²
 * </pre>
 * (Kingma et al. 2021, "Variational diffusion models", eqs. 4 and 29–31; for adjacent DDPM steps
 * this is Ho et al. 2020, eqs. 6–7, with variance β̃_t.)
 */
public record Posterior(double coefX0, double coefXt, double variance) {

    public static Posterior of(NoiseSchedule schedule, double t, double s) {
        if (!(s < t)) throw new IllegalArgumentException("need s (%s) < t (%s)".formatted(s, t));
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(s);
        double sigma2T = -Math.expm1(schedule.logAlphaBar(t));
        double sigma2S = -Math.expm1(schedule.logAlphaBar(s));
        double alphaTS = alphaT / alphaS;
        // σ²_{t|s} = 1 − ᾱ_t/ᾱ_s, computed without cancellation
        double sigma2TS = -Math.expm1(schedule.logAlphaBar(t) - schedule.logAlphaBar(s));
        return new Posterior(alphaS * sigma2TS / sigma2T, alphaTS * sigma2S / sigma2T,
                sigma2TS * sigma2S / sigma2T);
    }

    public INDArray mean(INDArray x0, INDArray xt) {
        return x0.mul(coefX0).addi(xt.mul(coefXt));
    }
}
