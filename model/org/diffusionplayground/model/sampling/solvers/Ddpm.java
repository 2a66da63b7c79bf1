package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Posterior;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDPM ancestral sampling (Ho, Jain &amp; Abbeel 2020, "Denoising diffusion probabilistic models",
 * eq. 11 and Algorithm 2), generalised to any pair of times s &lt; t and any {@link GaussianPath}
 * as in Kingma et al. 2021 ("Variational diffusion models", eqs. 4 and 29–31): the mean of
 * p(x_s | x_t) is the mean of the forward posterior q(x_s | x_t, x0) at x0 = x̂0
 * ({@link Posterior}), which for adjacent VP steps is exactly Ho et al.'s
 * μ = (x_t − β_t/√(1 − ᾱ_t)·ε̂)/√α_t.
 *
 * <p>Two fixed variances (Ho et al. §3.2): σ² = β̃, the posterior variance ("fixed small",
 * optimal for a single data point), or σ² = σ²_{t|s} = σ_t² − (α_t/α_s)²σ_s², the forward
 * transition's variance (β_t for adjacent VP steps, "fixed large", optimal for x0 ~ N(0, I) on
 * VP). As in Algorithm 2 no noise is added on the final step to t = 0, which therefore returns
 * x̂0. x̂0 is not clipped (diffusers' {@code clip_sample}); toy data and latents have no fixed
 * range. One NFE per step.
 */
public final class Ddpm implements Sampler {

    private final boolean largeVariance;
    private final Noise noise;

    /** @param largeVariance σ² = σ²_{t|s} (β, true) or σ² = β̃ (false) */
    public Ddpm(boolean largeVariance, Noise noise) {
        if (noise == null) throw new IllegalArgumentException("DDPM needs a noise source");
        this.largeVariance = largeVariance;
        this.noise = noise;
    }

    public boolean largeVariance() {
        return largeVariance;
    }

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // α, σ, λ = log(α²/σ²) at t and at s = tPrev; σ²_{t|s} = σ_t² − (α_t/α_s)²σ_s².
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. μ = (α_s·σ²_{t|s}/σ_t²)·x̂0 + ((α_t/α_s)·σ_s²/σ_t²)·x_t   (Kingma et al. eqs. 29–31; Ho eq. 7)
        // 3. σ² = β̃ = σ²_{t|s}·σ_s²/σ_t²  or  σ² = σ²_{t|s}
        // 4. x_s = μ + σ·z, z ~ N(0, I); no noise when s = 0                  (Algorithm 2, line 3)
        GaussianPath schedule = model.schedule();
        Prediction p = model.at(x, t);
        Posterior posterior = Posterior.of(schedule, t, tPrev);
        INDArray next = posterior.mean(p.predX0(), x);
        if (tPrev > 0) {
            double variance = largeVariance ? Posterior.transitionVariance(schedule, t, tPrev) : posterior.variance();
            next.addi(noise.normal(x.shape()).castTo(x.dataType()).muli(Math.sqrt(variance)));
        }
        return new Step(next, p);
    }
}
