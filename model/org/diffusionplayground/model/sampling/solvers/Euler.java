package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler's method on the probability-flow ODE in the form of Karras, Aittala, Aila &amp; Laine 2022
 * ("Elucidating the design space of diffusion-based generative models", EDM, §2–3, eq. 4): any
 * Gaussian path is EDM's scaling s(t) = α_t with noise level σ̃ = σ/α, and in x̃ = x/α its
 * probability-flow ODE is dx̃/dσ̃ = (x̃ − x̂0)/σ̃ = ε̂(x, t).
 *
 * <p>One step: x̃_s = x̃_t + (σ̃_s − σ̃_t)·ε̂ = x̂0 + σ̃_s·ε̂, since x̃_t − σ̃_t·ε̂ = x̂0; scaled
 * back, x_s = α_s·x̂0 + σ_s·ε̂. That is exactly one DDIM step with η = 0, as Karras et al.
 * point out in §3 (the samplers' tests check it step for step), and it stays finite where
 * α_t = 0 (σ̃_t = ∞: the linear interpolant's t = 1, where x̃_t itself is undefined). On the
 * interpolant it is also Euler's method in t on the flow velocity, x_s = x_t + (s − t)·û.
 * One NFE per step.
 */
public final class Euler implements Sampler {

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // σ̃ = σ/α, x̃ = x/α; slope d = dx̃/dσ̃ = (x̃_t − x̂0)/σ̃_t = ε̂.
        // 1. predict ε̂ and x̂0 at (x_t, t)
        // 2. x̃_s = x̃_t + (σ̃_s − σ̃_t)·d = x̂0 + σ̃_s·d               (EDM Algorithm 1, the predictor)
        // 3. x_s = α_s·x̃_s, computed as EDM writes it while α_t > 0 (the float rounding of the
        //    samples shipped before the core took general paths); α_s·x̂0 + σ_s·ε̂ where α_t = 0
        GaussianPath schedule = model.schedule();
        Prediction p = model.at(x, t);
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(tPrev), sigmaS = schedule.sigma(tPrev);
        INDArray next = alphaT > 0
                ? x.div(alphaT).addi(p.eps().mul(sigmaS / alphaS - schedule.sigma(t) / alphaT)).muli(alphaS)
                : p.predX0().mul(alphaS).addi(p.eps().mul(sigmaS));
        return new Step(next, p);
    }
}
