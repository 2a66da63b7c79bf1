package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, "Denoising diffusion implicit models", eqs. 12 and 16),
 * written in α, σ, λ so it runs on any {@link GaussianPath}. Song et al. write ᾱ for α² and
 * 1 − ᾱ for σ²; off VP the second no longer holds, and eq. 16's
 * σ_η = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s) becomes η times the standard deviation of the
 * forward posterior q(x_s | x_t, x0) (Kingma et al. 2021, eqs. 29–31), i.e.
 * σ_η = η·(σ_s/σ_t)·σ_{t|s}, with σ²_{t|s} = σ_t² − (α_t/α_s)²·σ_s².
 *
 * <p>η = 0 is the deterministic probability-flow sampler; η = 1 is DDPM's ancestral step with
 * the posterior variance β̃, step for step. On the linear interpolant η = 0 is exactly Euler's
 * method on the flow ODE, x_s = x_t + (s − t)·û with û = ε̂ − x̂0 (both are first order, and
 * the interpolant is linear in t along a fixed (x0, ε)). One NFE per step.
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
        // α, σ, λ = log(α²/σ²) at t and at s = tPrev; SNR(t)/SNR(s) = e^{λ_t − λ_s} < 1.
        //   σ_η² = η²·(σ_s²/σ_t²)·(σ_t² − (α_t/α_s)²σ_s²) = η²·σ_s²·(1 − e^{λ_t − λ_s})
        //   √(σ_s² − σ_η²) = σ_s·√(1 − η²·(1 − e^{λ_t − λ_s}))
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. σ_η = η·σ_s·√(1 − e^{λ_t − λ_s})                                    (eq. 16)
        // 3. x_s = α_s·x̂0 + √(σ_s² − σ_η²)·ε̂ + σ_η·z,  z ~ N(0, I)              (eq. 12)
        GaussianPath schedule = model.schedule();
        Prediction p = model.at(x, t);
        double alphaS = schedule.alpha(tPrev), sigmaS = schedule.sigma(tPrev);
        double oneMinusSnrRatio = -Math.expm1(schedule.logSnr(t) - schedule.logSnr(tPrev));
        double sigmaEta = eta * sigmaS * Math.sqrt(oneMinusSnrRatio);
        double direction = sigmaS * Math.sqrt(1 - eta * eta * oneMinusSnrRatio);
        INDArray next = p.predX0().mul(alphaS).addi(p.eps().mul(direction));
        if (sigmaEta > 0) next.addi(noise.normal(x.shape()).castTo(x.dataType()).muli(sigmaEta));
        return new Step(next, p);
    }
}
