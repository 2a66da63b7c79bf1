package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, "Denoising diffusion implicit models", eqs. 12 and 16).
 * η = 0 is the deterministic probability-flow sampler; η = 1 matches DDPM's posterior variance.
 */
public final class Ddim implements Sampler {

    private final double eta;
    private final Noise noise;

    public Ddim(double eta, Noise noise) {
        if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException("eta (%s) must be in [0, 1]".formatted(eta));
        this.eta = eta;
        this.noise = noise;
    }

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // x_t at ᾱ_t; x_s at ᾱ_s (s = tPrev).
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. σ_η = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s)                        (eq. 16)
        // 3. x_s = α_s·x̂0 + √(1 − ᾱ_s − σ_η²)·ε̂ + σ_η·z                          (eq. 12)
        NoiseSchedule schedule = model.schedule();
        Prediction p = model.at(x, t);
        double alphaS = schedule.alpha(tPrev);
        double sigma2S = -Math.expm1(schedule.logAlphaBar(tPrev));
        double sigma2T = -Math.expm1(schedule.logAlphaBar(t));
        double sigma2TS = -Math.expm1(schedule.logAlphaBar(t) - schedule.logAlphaBar(tPrev));
        double sigmaEta = eta * Math.sqrt(sigma2S / sigma2T * sigma2TS);
        double direction = Math.sqrt(Math.max(sigma2S - sigmaEta * sigmaEta, 0));
        INDArray next = p.predX0().mul(alphaS).addi(p.eps().mul(direction));
        if (sigmaEta > 0) next.addi(noise.normal(x.shape()).castTo(x.dataType()).muli(sigmaEta));
        return new Step(next, p);
    }
}
