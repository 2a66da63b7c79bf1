package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The probability-flow ODE of any Gaussian path written in t, dx/dt = û(x, t) with
 * û = α'·x̂0 + σ'·ε̂ = E[ẋ_t | x_t] (Lipman et al. 2023, "Flow matching for generative
 * modeling", Theorem 1 and eq. 10; de Freitas 2026, "Diffusion and flow matching tutorial",
 * §7.3), evaluated through the model's x̂0 and ε̂ so that an ε-, v- or u-model all give it. On the
 * linear interpolant û = ε̂ − x̂0; on a VP schedule it is Song et al.'s probability-flow drift
 * f − ½g²·score (2021, eq. 13). The shared stage of {@link Midpoint} and {@link RungeKutta4}.
 */
final class FlowVelocity {

    private FlowVelocity() {
    }

    /** One evaluation: the prediction at (x, t) and û there. */
    record Stage(Prediction prediction, INDArray velocity) {
    }

    static Stage at(ModelFn model, INDArray x, double t) {
        Prediction p = model.at(x, t);
        return new Stage(p, Parameterization.U.target(p.predX0(), p.eps(), model.schedule().coefficients(t)));
    }

    /**
     * Whether û can be evaluated at t = 0: σ'(0) is finite on the linear interpolant, +∞ on a VP
     * schedule (σ = √(1 − ᾱ) starts as a square root), where the step to 0 is instead the jump to
     * x̂0 every other sampler takes.
     */
    static boolean definedAtZero(GaussianPath path) {
        return Double.isFinite(path.sigmaPrime(0)) && Double.isFinite(path.alphaPrime(0));
    }

    /** The jump to t = 0 from a stage at t: x_0 = α_0·x̂0 + σ_0·ε̂ = x̂0. */
    static INDArray jumpToZero(GaussianPath path, Prediction p) {
        return p.predX0().mul(path.alpha(0)).addi(p.eps().mul(path.sigma(0)));
    }
}
