package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler's method on the probability-flow ODE in the form of Karras, Aittala, Aila &amp; Laine 2022
 * ("Elucidating the design space of diffusion-based generative models", EDM, §2–3): with the
 * scaling s(t) = α_t and noise level σ̃ = σ/α, i.e. in x̃ = x/α, the VP probability-flow ODE
 * becomes dx̃/dσ̃ = ε̂(x, t) = (x̃ − x̂0)/σ̃.
 *
 * <p>In this form one Euler step is exactly one DDIM step with η = 0, as Karras et al. point
 * out in §3: α_s·(x̃_t + (σ̃_s − σ̃_t)·ε̂) = α_s·x̂0 + σ_s·ε̂ since x̃_t − σ̃_t·ε̂ = x̂0. The
 * samplers' tests check it step for step.
 * One NFE per step.
 */
public final class Euler implements Sampler {

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // σ̃ = σ/α, x̃ = x/α; d = dx̃/dσ̃ = ε̂.
        // 1. predict ε̂ at (x_t, t)
        // 2. x̃_s = x̃_t + (σ̃_s − σ̃_t)·ε̂                 (EDM Algorithm 1, the predictor)
        // 3. x_s = α_s·x̃_s
        NoiseSchedule schedule = model.schedule();
        Prediction p = model.at(x, t);
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(tPrev);
        double sigmaTildeT = schedule.sigma(t) / alphaT, sigmaTildeS = schedule.sigma(tPrev) / alphaS;
        INDArray next = x.div(alphaT).addi(p.eps().mul(sigmaTildeS - sigmaTildeT)).muli(alphaS);
        return new Step(next, p);
    }
}
