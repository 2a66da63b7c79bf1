package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler–Maruyama on the reverse-time SDE (Song, Sohl-Dickstein, Kingma, Kumar, Ermon &amp; Poole
 * 2021, "Score-based generative modeling through stochastic differential equations", eq. 6):
 * dx = [f(t)·x − g(t)²·∇log p_t(x)] dt + g(t) dw̄, for the linear forward SDE
 * dx = f·x dt + g dw whose marginals are the path's, f = d log α/dt and
 * g² = dσ²/dt − 2·f·σ² ({@link Coefficients#drift}, {@link Coefficients#diffusionSquared}; Kingma
 * et al. 2021, restated by Lu et al. 2022, DPM-Solver §2.1), with the score ∇log p_t = −ε̂/σ_t.
 * On VP schedules f = −½β and g² = β, Song et al.'s VP SDE. Stepping back by Δ = t − s:
 * x_s = x_t − (f·x_t + g²·ε̂/σ_t)·Δ + √(g²·Δ)·z.
 *
 * <p>The final step to t = 0 returns x̂0 (Tweedie's denoising step, as Song et al.'s released
 * samplers do). Where α_t = 0 (the linear interpolant's t = 1) f and g² are infinite: the
 * forward process has forgotten x_s entirely, and the step draws from q(x_s | x_t, x0) at
 * x0 = x̂0, x_s = α_s·x̂0 + σ_s·z — DDPM's ancestral step there. Euler–Maruyama is first order
 * in weak error and needs many steps (hundreds); when g²·Δ approaches 2 a step overshoots (on
 * the interpolant the first steps below t = 1 do, and the excess variance decays over the next
 * ones). One NFE per step.
 */
public final class EulerMaruyama implements Sampler {

    private final Noise noise;

    public EulerMaruyama(Noise noise) {
        if (noise == null) throw new IllegalArgumentException("Euler–Maruyama needs a noise source");
        this.noise = noise;
    }

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // f = α'/α, g² = 2σσ' − 2f·σ² at t; Δ = t − s > 0 (s = tPrev); z ~ N(0, I).
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. s = 0: x_0 = x̂0
        // 3. α_t = 0: x_s = α_s·x̂0 + σ_s·z
        // 4. x_s = x_t − (f·x_t + g²·ε̂/σ_t)·Δ + √(g²·Δ)·z                     (eq. 6, reversed)
        GaussianPath schedule = model.schedule();
        Prediction p = model.at(x, t);
        if (tPrev == 0) return new Step(p.predX0().dup(), p);
        INDArray z = noise.normal(x.shape()).castTo(x.dataType());
        Coefficients c = schedule.coefficients(t);
        if (c.alpha() == 0) {
            return new Step(p.predX0().mul(schedule.alpha(tPrev)).addi(z.muli(schedule.sigma(tPrev))), p);
        }
        double f = c.drift(), g2 = c.diffusionSquared(), delta = t - tPrev;
        INDArray next = x.mul(1 - f * delta)
                .subi(p.eps().mul(g2 * delta / c.sigma()))
                .addi(z.muli(Math.sqrt(g2 * delta)));
        return new Step(next, p);
    }
}
