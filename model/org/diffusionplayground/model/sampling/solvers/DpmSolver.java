package org.diffusionplayground.model.sampling.solvers;

import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Prediction;
import org.diffusionplayground.model.sampling.Sampler;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Singlestep DPM-Solver of order 1, 2 or 3 in its noise-prediction form (Lu, Zhou, Bao, Chen,
 * Li &amp; Zhu 2022, "DPM-Solver: a fast ODE solver for diffusion probabilistic model sampling in
 * around 10 steps"). It integrates the linear part of the probability-flow ODE exactly and the
 * ε̂ part by a Taylor expansion in λ = log(α/σ) (half the log-SNR), eq. 3.4:
 * x_s = (α_s/α_t)·x_t − α_s·∫ e^{−λ} ε̂ dλ. It needs only α, σ and λ, so it runs on any
 * {@link GaussianPath}.
 * <ul>
 *   <li>order 1 (DPM-Solver-1, eq. 3.7): identical to DDIM with η = 0, step for step;</li>
 *   <li>order 2 (DPM-Solver-2, Algorithm 1) with r1 = 1/2: one intermediate time s1;</li>
 *   <li>order 3 (DPM-Solver-3, Algorithm 2) with (r1, r2) = (1/3, 2/3): two intermediate times.</li>
 * </ul>
 * Intermediate times are placed uniformly in λ and mapped back with
 * {@link GaussianPath#timeOfLogSnr}. A step into tPrev = 0 (λ = +∞, where e^h is infinite) is
 * always first order, written as σ_s·e^h = α_s·σ_t/α_t so it stays finite; it returns x̂0.
 * So is a step from α_t = 0 (λ_t = −∞, the linear interpolant's t = 1): h is infinite, the
 * intermediate times undefined, and the first-order step's limit is DDIM's
 * x_s = α_s·x̂0 + σ_s·ε̂ (since x̂0 = (x_t − σ_t·ε̂)/α_t wherever α_t &gt; 0).
 *
 * <p>NFE: {@code order} per step, 1 for the final step to 0 (and for a step from α_t = 0);
 * n steps cost order·(n − 1) + 1.
 */
public final class DpmSolver implements Sampler {

    private static final double R1_ORDER2 = 0.5;
    private static final double R1_ORDER3 = 1.0 / 3, R2_ORDER3 = 2.0 / 3;

    private final int order;

    public DpmSolver(int order) {
        if (order < 1 || order > 3) {
            throw new IllegalArgumentException("DPM-Solver order (%d) must be 1, 2 or 3".formatted(order));
        }
        this.order = order;
    }

    public int order() {
        return order;
    }

    @Override
    public Step step(ModelFn model, INDArray x, double t, double tPrev) {
        // λ = log(α/σ); h = λ_s − λ_t > 0 (s = tPrev); ε_t = ε̂(x_t, t).
        // 1. predict ε_t (and x̂0) at (x_t, t)
        // 2. tPrev = 0 or order 1: x_s = (α_s/α_t)·x_t − σ_s·(e^h − 1)·ε_t          (eq. 3.7)
        //    α_t = 0 (h = ∞): its limit x_s = α_s·x̂0 + σ_s·ε_t
        // 3. order 2: one extra evaluation at s1 (λ_t + h/2), first-order predictor, correction
        // 4. order 3: two extra evaluations at s1, s2 (λ_t + h/3, λ_t + 2h/3)
        Prediction p = model.at(x, t);
        INDArray epsT = p.eps();
        INDArray next;
        GaussianPath schedule = model.schedule();
        if (schedule.alpha(t) == 0) {
            next = p.predX0().mul(schedule.alpha(tPrev)).addi(epsT.mul(schedule.sigma(tPrev)));
        } else if (tPrev == 0 || order == 1) {
            next = firstOrder(schedule, x, epsT, t, tPrev);
        } else if (order == 2) {
            next = secondOrder(model, x, epsT, t, tPrev);
        } else {
            next = thirdOrder(model, x, epsT, t, tPrev);
        }
        return new Step(next, p);
    }

    /** DPM-Solver-1: x_s = (α_s/α_t)·x_t − σ_s·(e^h − 1)·ε_t, finite at s = 0 (σ_s·e^h = α_s·σ_t/α_t). */
    static INDArray firstOrder(GaussianPath schedule, INDArray x, INDArray epsT, double t, double s) {
        double alphaT = schedule.alpha(t), alphaS = schedule.alpha(s);
        double phi = s == 0 ? alphaS * schedule.sigma(t) / alphaT
                : schedule.sigma(s) * Math.expm1(lambda(schedule, s) - lambda(schedule, t));
        return x.mul(alphaS / alphaT).subi(epsT.mul(phi));
    }

    /**
     * DPM-Solver-2 (Algorithm 1):
     * u = (α_{s1}/α_t)·x_t − σ_{s1}(e^{r1·h} − 1)·ε_t,
     * x_s = (α_s/α_t)·x_t − σ_s(e^h − 1)·ε_t − σ_s/(2·r1)·(e^h − 1)·(ε̂(u, s1) − ε_t).
     */
    private static INDArray secondOrder(ModelFn model, INDArray x, INDArray epsT, double t, double s) {
        GaussianPath schedule = model.schedule();
        double lambdaT = lambda(schedule, t), h = lambda(schedule, s) - lambdaT;
        double s1 = timeOfLambda(schedule, lambdaT + R1_ORDER2 * h);
        INDArray u = firstOrder(schedule, x, epsT, t, s1);
        INDArray d1 = model.at(u, s1).eps().sub(epsT);
        double sigmaS = schedule.sigma(s), phi1 = Math.expm1(h);
        return firstOrder(schedule, x, epsT, t, s).subi(d1.muli(sigmaS / (2 * R1_ORDER2) * phi1));
    }

    /**
     * DPM-Solver-3 (Algorithm 2):
     * u1 = (α_{s1}/α_t)·x_t − σ_{s1}(e^{r1·h} − 1)·ε_t,  D1 = ε̂(u1, s1) − ε_t,
     * u2 = (α_{s2}/α_t)·x_t − σ_{s2}(e^{r2·h} − 1)·ε_t − σ_{s2}·(r2/r1)·((e^{r2·h} − 1)/(r2·h) − 1)·D1,
     * D2 = ε̂(u2, s2) − ε_t,
     * x_s = (α_s/α_t)·x_t − σ_s(e^h − 1)·ε_t − (σ_s/r2)·((e^h − 1)/h − 1)·D2.
     */
    private static INDArray thirdOrder(ModelFn model, INDArray x, INDArray epsT, double t, double s) {
        GaussianPath schedule = model.schedule();
        double lambdaT = lambda(schedule, t), h = lambda(schedule, s) - lambdaT;
        double s1 = timeOfLambda(schedule, lambdaT + R1_ORDER3 * h);
        double s2 = timeOfLambda(schedule, lambdaT + R2_ORDER3 * h);
        INDArray u1 = firstOrder(schedule, x, epsT, t, s1);
        INDArray d1 = model.at(u1, s1).eps().sub(epsT);
        double phi22 = Math.expm1(R2_ORDER3 * h) / (R2_ORDER3 * h) - 1;
        INDArray u2 = firstOrder(schedule, x, epsT, t, s2)
                .subi(d1.muli(schedule.sigma(s2) * (R2_ORDER3 / R1_ORDER3) * phi22));
        INDArray d2 = model.at(u2, s2).eps().sub(epsT);
        double phi2 = Math.expm1(h) / h - 1;
        return firstOrder(schedule, x, epsT, t, s).subi(d2.muli(schedule.sigma(s) / R2_ORDER3 * phi2));
    }

    /** λ_t = log(α_t/σ_t) = ½·logSnr(t). */
    static double lambda(GaussianPath schedule, double t) {
        return 0.5 * schedule.logSnr(t);
    }

    static double timeOfLambda(GaussianPath schedule, double lambda) {
        return schedule.timeOfLogSnr(2 * lambda);
    }
}
