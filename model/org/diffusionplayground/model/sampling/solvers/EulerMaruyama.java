package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler–Maruyama on the reverse-time VP SDE (Song, Sohl-Dickstein, Kingma, Kumar, Ermon &amp;
 * Poole 2021, "Score-based generative modeling through stochastic differential equations",
 * eq. 6): dx = [f(x, t) − g(t)²·∇log p_t(x)] dt + g(t) dw̄, with the VP drift f = −½β(t)·x,
 * g² = β(t) ({@link NoiseSchedule#betaRate}) and the score ∇log p_t = −ε̂/σ_t.
 * Stepping back by Δ = t − s:
 * x_s = x_t + (½β·x_t − β·ε̂/σ_t)·Δ + √(β·Δ)·z.
 *
 * <p>The final step to t = 0 returns x̂0 (Tweedie's denoising step, as Song et al.'s released
 * samplers do). Euler–Maruyama is first order in weak error and needs many steps (hundreds);
 * when β·Δ approaches 2 a step overshoots. One NFE per step.
 */
public final class EulerMaruyama implements Sampler {

    private final Noise noise;

    public EulerMaruyama(Noise noise) {
        if (noise == null) throw new IllegalArgumentException("Euler–Maruyama needs a noise source");
        this.noise = noise;
    }

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // β = β(t) (rate, −d log ᾱ/dt); Δ = t − s > 0 (s = tPrev); z ~ N(0, I).
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. s = 0: x_0 = x̂0
        // 3. x_s = x_t + (½β·x_t − β·ε̂/σ_t)·Δ + √(β·Δ)·z                     (eq. 6, reversed)
        NoiseSchedule schedule = model.schedule();
        Prediction p = model.at(x, t);
        if (tPrev == 0) return new Step(p.predX0().dup(), p);
        double beta = schedule.betaRate(t), delta = t - tPrev;
        INDArray next = x.mul(1 + 0.5 * beta * delta)
                .subi(p.eps().mul(beta * delta / schedule.sigma(t)))
                .addi(noise.normal(x.shape()).castTo(x.dataType()).muli(Math.sqrt(beta * delta)));
        return new Step(next, p);
    }
}
