package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Sampler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The explicit midpoint rule (second-order Runge–Kutta; Hairer, Nørsett &amp; Wanner 1993,
 * "Solving ordinary differential equations I", §II.1, eq. 1.5) on the flow ODE dx/dt = û(x, t)
 * in t (de Freitas 2026, "Diffusion and flow matching tutorial", §7.3; see {@link FlowVelocity}).
 * Both stages lie inside the step, never at t = 0, so it runs on every path, VP included. On the
 * linear interpolant from t = 1 the first stage is û(x_1, 1) = ε̂ − E[x0]: finite where
 * ε-samplers would divide by α = 0. NFE: 2 per step.
 */
public final class Midpoint implements Sampler {

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // h = tPrev − t < 0 (time runs down).
        // 1. k1 = û(x_t, t)
        // 2. k2 = û(x_t + (h/2)·k1, t + h/2)
        // 3. x_{tPrev} = x_t + h·k2
        double h = tPrev - t;
        FlowVelocity.Stage k1 = FlowVelocity.at(model, x, t);
        FlowVelocity.Stage k2 = FlowVelocity.at(model, x.add(k1.velocity().mul(h / 2)), t + h / 2);
        return new Step(x.add(k2.velocity().mul(h)), k1.prediction());
    }
}
