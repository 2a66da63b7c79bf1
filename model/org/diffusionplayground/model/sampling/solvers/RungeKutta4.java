package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The classical fourth-order Runge–Kutta method (Kutta 1901; Hairer, Nørsett &amp; Wanner 1993,
 * "Solving ordinary differential equations I", §II.1, Table 1.2) on the flow ODE
 * dx/dt = û(x, t) in t (de Freitas 2026, "Diffusion and flow matching tutorial", §7.3; see
 * {@link FlowVelocity}). NFE: 4 per step.
 *
 * <p>Its last stage is at tPrev, so the final step evaluates û at t = 0: defined on the linear
 * interpolant (û = ε̂ − x̂0, with x̂0 = x there), not on a VP schedule, where σ'(0) = ∞. There the
 * final step is the jump to x̂0 that DDIM and Euler take (1 NFE), as Heun skips its corrector on
 * its final step (Karras et al. 2022, Algorithm 1).
 */
public final class RungeKutta4 implements Sampler {

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // h = tPrev − t < 0 (time runs down).
        // 1. k1 = û(x, t)               2. k2 = û(x + (h/2)·k1, t + h/2)
        // 3. k3 = û(x + (h/2)·k2, t + h/2)  4. k4 = û(x + h·k3, t + h)
        // 5. x_{tPrev} = x + (h/6)·(k1 + 2·k2 + 2·k3 + k4)
        double h = tPrev - t;
        FlowVelocity.Stage k1 = FlowVelocity.at(model, x, t);
        if (tPrev == 0 && !integratesToZero(model.schedule())) {
            return new Step(FlowVelocity.jumpToZero(model.schedule(), k1.prediction()), k1.prediction());
        }
        INDArray v1 = k1.velocity();
        INDArray v2 = FlowVelocity.at(model, x.add(v1.mul(h / 2)), t + h / 2).velocity();
        INDArray v3 = FlowVelocity.at(model, x.add(v2.mul(h / 2)), t + h / 2).velocity();
        INDArray v4 = FlowVelocity.at(model, x.add(v3.mul(h)), tPrev).velocity();
        INDArray slope = v1.add(v2.muli(2)).addi(v3.muli(2)).addi(v4);
        return new Step(x.add(slope.muli(h / 6)), k1.prediction());
    }

    /** Whether its final step integrates to t = 0 on {@code path} (else it jumps to x̂0). */
    public static boolean integratesToZero(GaussianPath path) {
        return FlowVelocity.definedAtZero(path);
    }
}
