package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heun's second-order method on the probability-flow ODE (Karras, Aittala, Aila &amp; Laine 2022,
 * EDM, Algorithm 1), in the scaled variables σ̃ = σ/α, x̃ = x/α where dx̃/dσ̃ = ε̂(x, t) on any
 * Gaussian path (see {@link Euler}). An Euler predictor to σ̃_s, then the trapezoidal corrector
 * with the slope there.
 *
 * <p>The correction is skipped, leaving the Euler step alone, on the final step to σ̃ = 0, as
 * in Algorithm 1, where ε̂ is undefined — and on a first step from α_t = 0 (σ̃_t = ∞, the
 * linear interpolant's t = 1), where the trapezoid would span an infinite interval. One Euler
 * step there costs a first-order local error, O(h²), so the method stays second order.
 * NFE: 2 per step, 1 for the final step (and for a step from α_t = 0); n steps cost 2n − 1.
 */
public final class Heun implements Sampler {

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // σ̃ = σ/α, x̃ = x/α; d = dx̃/dσ̃ = ε̂.
        // 1. d_t = ε̂(x_t, t)
        // 2. x̃' = x̃_t + (σ̃_s − σ̃_t)·d_t = x̂0 + σ̃_s·d_t                    (Euler predictor)
        // 3. if s > 0 and α_t > 0: d' = ε̂(α_s·x̃', s),
        //    x̃_s = x̃_t + (σ̃_s − σ̃_t)·(d_t + d')/2                          (trapezoid)
        // 4. x_s = α_s·x̃_s
        GaussianPath schedule = model.schedule();
        Prediction p = model.at(x, t);
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(tPrev);
        if (tPrev == 0 || alphaT == 0) {
            INDArray euler = p.predX0().mul(alphaS).addi(p.eps().mul(schedule.sigma(tPrev)));
            return new Step(euler, p);
        }
        double dSigmaTilde = schedule.sigma(tPrev) / alphaS - schedule.sigma(t) / alphaT;
        INDArray xTildeT = x.div(alphaT);
        INDArray euler = xTildeT.add(p.eps().mul(dSigmaTilde)).muli(alphaS);
        INDArray slopeSum = model.at(euler, tPrev).eps().add(p.eps());
        INDArray next = xTildeT.addi(slopeSum.muli(0.5 * dSigmaTilde)).muli(alphaS);
        return new Step(next, p);
    }
}
