package org.diffusionplayground.model.eval;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A deterministic sampler's own error: the distance of its points to a high-accuracy solution of
 * the probability-flow ODE (Song et al. 2021, eq. 13) from the same x_T. On the exact denoiser
 * this is pure discretisation error, so against NFE on log–log axes its slope is the solver's
 * order — unlike the distance to the truth, which on a few thousand points is dominated by the
 * random share of points each mode receives (the finite-sample floor).
 *
 * <p>The reference integrates from the sampler's first time to its last one with DPM-Solver-3
 * (Lu et al. 2022, Algorithm 2) on {@link #STEPS} steps uniform in λ = ½·log-SNR, in double
 * precision, and then takes the same final jump to t = 0 every sampler takes (x̂0 at the last
 * time: α₀·x̂0 = x̂0), so that jump adds no error of its own. {@code OdeReferenceTest} checks that
 * a run with twice the steps moves the points by far less than any sampler's error.
 */
public final class OdeReference {

    /** DPM-Solver-3 steps of the reference (3 NFE each). */
    public static final int STEPS = 500;

    private OdeReference() {
    }

    /**
     * @param denoiser the model (here the oracle), unconditional
     * @param xT       [n, 2], the samplers' shared start
     * @param tStart   the samplers' first time
     * @param tEnd     the samplers' last time before the jump to 0, below tStart
     * @param steps    DPM-Solver-3 steps from tStart to tEnd, ≥ 1
     * @param cancelled checked between steps; when it says so the points reached so far are returned
     * @return the reference points [n, 2], double
     */
    public static INDArray solve(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps,
                                 BooleanSupplier cancelled) {
        Objects.requireNonNull(denoiser, "denoiser");
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        if (!(tEnd > 0 && tEnd < tStart && tStart <= 1)) {
            throw new IllegalArgumentException("need 0 < tEnd (%s) < tStart (%s) ≤ 1".formatted(tEnd, tStart));
        }
        GaussianPath schedule = denoiser.schedule();
        double lambdaStart = schedule.logSnr(tStart), lambdaEnd = schedule.logSnr(tEnd);
        double[] times = new double[steps + 1];
        times[0] = tStart;
        times[steps] = tEnd;
        for (int k = 1; k < steps; k++) {
            times[k] = schedule.timeOfLogSnr(lambdaStart + (lambdaEnd - lambdaStart) * k / steps);
        }
        return SamplingLoop.run(new DpmSolver(3), new ModelFn(denoiser, null), xT.castTo(DataType.DOUBLE), times,
                e -> { }, cancelled).x();
    }

    /** As {@link #solve(Denoiser, INDArray, double, double, int, BooleanSupplier)}, never cancelled. */
    public static INDArray solve(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps) {
        return solve(denoiser, xT, tStart, tEnd, steps, () -> false);
    }

    /** With {@link #STEPS} steps, never cancelled. */
    public static INDArray solve(Denoiser denoiser, INDArray xT, double tStart, double tEnd) {
        return solve(denoiser, xT, tStart, tEnd, STEPS);
    }

    /** √(mean over points of ‖x_i − ref_i‖²) for two [n, 2] clouds in the same order; NaN if x diverged. */
    public static double rms(INDArray x, INDArray reference) {
        if (!java.util.Arrays.equals(x.shape(), reference.shape()) || x.rank() != 2) {
            throw new IllegalArgumentException("x %s and reference %s must both be [n, 2]"
                    .formatted(java.util.Arrays.toString(x.shape()), java.util.Arrays.toString(reference.shape())));
        }
        INDArray d = x.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE));
        double meanSq = Transforms.pow(d, 2, false).sumNumber().doubleValue() / x.size(0);
        return Math.sqrt(meanSq);
    }

    /**
     * Whether the sampler solves the probability-flow ODE, so that its points have an exact
     * counterpart: not DDPM, not Euler–Maruyama, not DDIM with η &gt; 0 (they draw fresh noise).
     */
    public static boolean followsTheOde(SamplerKind sampler, SamplerOptions options) {
        return switch (sampler) {
            case DDPM, EULER_MARUYAMA -> false;
            case DDIM -> options.eta() == 0;
            case DPM_SOLVER, DPM_SOLVER_PP, EULER, HEUN -> true;
        };
    }
}
