package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.RungeKutta4;
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
 * time: α₀·x̂0 = x̂0), so that jump adds no error of its own. Where the start has α = 0 (the
 * linear interpolant's t = 1, λ = −∞) no uniform-λ grid begins, so the first {@link #LEAD_IN}
 * of time is crossed by {@link #LEAD_IN_STEPS} RK4 steps in t on the flow velocity, which is
 * smooth there. Samplers that integrate to t = 0 themselves are compared with a reference that
 * ends at {@link #NEARLY_ZERO} ({@link #referenceEnd}). {@link #solveChecked} also solves
 * with half the steps and reports how far that moves the points: for a third-order solver about
 * 7× the error of the full solve, so an upper estimate of it, which the lab draws as the level
 * below which no order can be read. {@code OdeReferenceTest} checks that a run with twice and
 * eight times the steps moves the points by far less than any sampler's error, on ring8 and on
 * the spiral.
 *
 * <p>A sampler's error against it is not always small when the sampler is accurate on average:
 * a point that starts near the boundary between two parts of the data (two arms of the spiral)
 * can be carried across by a small discretisation error and end a whole mode away. On the
 * spiral at 2,000 points one such point keeps DPM-Solver++ 0.7 away from the exact solution up
 * to ~200 steps (it lands on the exact solution's side from ~400 steps on), an RMS of 1.5·10⁻²
 * on its own. {@link #errors} therefore also counts the points that end far away and measures
 * the rest.
 */
public final class OdeReference {

    /** DPM-Solver-3 steps of the reference (3 NFE each). */
    public static final int STEPS = 500;

    /** RK4 steps of the lead-in from a start where α = 0 (see {@link #solve}). */
    static final int LEAD_IN_STEPS = 20;

    /** How far below t = 1 the lead-in from α = 0 goes: λ = 2·log(0.01/0.99) ≈ −9.2 on the interpolant. */
    static final double LEAD_IN = 0.01;

    /** The last time of a reference for samplers that integrate down to t = 0 ({@link #referenceEnd}). */
    public static final double NEARLY_ZERO = 1e-5;

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
        ModelFn model = new ModelFn(denoiser, null);
        INDArray x = xT.castTo(DataType.DOUBLE);
        if (schedule.alpha(tStart) == 0) { // λ = −∞: no uniform-λ grid starts here; a few RK4 steps in t do
            double tLead = Math.max(tEnd, tStart - LEAD_IN);
            int leadSteps = tLead == tEnd ? Math.max(steps, LEAD_IN_STEPS) : LEAD_IN_STEPS;
            RungeKutta4 rk4 = new RungeKutta4();
            for (int k = 0; k < leadSteps && !cancelled.getAsBoolean(); k++) {
                x = rk4.step(model, x, tStart + (tLead - tStart) * k / leadSteps,
                        tStart + (tLead - tStart) * (k + 1) / leadSteps).x();
            }
            if (tLead == tEnd) return SamplingLoop.run(new DpmSolver(3), model, x, new double[] {tEnd}, e -> { }, cancelled).x();
            tStart = tLead;
        }
        double lambdaStart = schedule.logSnr(tStart), lambdaEnd = schedule.logSnr(tEnd);
        double[] times = new double[steps + 1];
        times[0] = tStart;
        times[steps] = tEnd;
        for (int k = 1; k < steps; k++) {
            times[k] = schedule.timeOfLogSnr(lambdaStart + (lambdaEnd - lambdaStart) * k / steps);
        }
        return SamplingLoop.run(new DpmSolver(3), model, x, times, e -> { }, cancelled).x();
    }

    /** As {@link #solve(Denoiser, INDArray, double, double, int, BooleanSupplier)}, never cancelled. */
    public static INDArray solve(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps) {
        return solve(denoiser, xT, tStart, tEnd, steps, () -> false);
    }

    /** With {@link #STEPS} steps, never cancelled. */
    public static INDArray solve(Denoiser denoiser, INDArray xT, double tStart, double tEnd) {
        return solve(denoiser, xT, tStart, tEnd, STEPS);
    }

    /**
     * A reference solution and its error estimate: the RMS distance between it and the solve
     * with half the steps (NaN when only one step was asked for).
     */
    public record Checked(INDArray x, double error) {
    }

    /**
     * As {@link #solve(Denoiser, INDArray, double, double, int, BooleanSupplier)}, and again with
     * half the steps to estimate its error; costs 1.5 solves. Cancelled: the points reached so far.
     */
    public static Checked solveChecked(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps,
                                       BooleanSupplier cancelled) {
        INDArray x = solve(denoiser, xT, tStart, tEnd, steps, cancelled);
        if (steps < 2 || cancelled.getAsBoolean()) return new Checked(x, Double.NaN);
        return new Checked(x, rms(x, solve(denoiser, xT, tStart, tEnd, steps / 2, cancelled)));
    }

    /** RK4 steps of {@link #solveInTime}'s reference for a trained flow (4 NFE each). */
    public static final int TIME_STEPS = 500;

    /**
     * A reference for a trained flow network: RK4 on {@code steps} uniform steps in t from
     * tStart to tEnd, then the same jump to x̂0 as {@link #solve}. A network's velocity is smooth in
     * t but not necessarily in λ near t = 0, where a uniform-λ grid puts most of its steps (a
     * reflowed MLP's λ-grid solve moved by 4·10⁻³ when its steps were halved, in t on 1,000 steps by
     * 3·10⁻⁶). {@link #TIME_STEPS} = 500 keeps the lab's solve near a minute on a busy core.
     * Checked as {@link #solveChecked}: the RMS move when the steps are halved.
     */
    public static Checked solveInTimeChecked(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps,
                                             BooleanSupplier cancelled) {
        INDArray x = solveInTime(denoiser, xT, tStart, tEnd, steps, cancelled);
        if (steps < 2 || cancelled.getAsBoolean()) return new Checked(x, Double.NaN);
        return new Checked(x, rms(x, solveInTime(denoiser, xT, tStart, tEnd, steps / 2, cancelled)));
    }

    static INDArray solveInTime(Denoiser denoiser, INDArray xT, double tStart, double tEnd, int steps,
                                BooleanSupplier cancelled) {
        if (!(tEnd > 0 && tEnd < tStart && tStart <= 1)) {
            throw new IllegalArgumentException("need 0 < tEnd (%s) < tStart (%s) ≤ 1".formatted(tEnd, tStart));
        }
        double[] times = new double[steps + 1];
        for (int k = 0; k <= steps; k++) times[k] = tStart + (tEnd - tStart) * k / steps;
        ModelFn model = new ModelFn(denoiser, null);
        INDArray x = xT.castTo(DataType.DOUBLE);
        RungeKutta4 rk4 = new RungeKutta4();
        for (int k = 0; k < steps && !cancelled.getAsBoolean(); k++) x = rk4.step(model, x, times[k], times[k + 1]).x();
        return SamplingLoop.run(new DpmSolver(3), model, x, new double[] {tEnd}, e -> { }, cancelled).x();
    }

    /**
     * How far a sampler's points are from the reference.
     *
     * @param rms     over every point
     * @param far     how many points end farther than the threshold given to {@link #errors}
     * @param rmsNear over the other points (NaN if none is left)
     * @param worst   the largest single distance
     */
    public record Errors(double rms, int far, double rmsNear, double worst) {
    }

    /** {@link Errors} of two [n, 2] clouds in the same order; points farther than {@code far} count as far. */
    public static Errors errors(INDArray x, INDArray reference, double far) {
        checkShapes(x, reference);
        double[] a = HeapArrays.doubles(x), b = HeapArrays.doubles(reference); // interleaved (x, y)
        double all = 0, near = 0, worst = 0;
        int farCount = 0, n = a.length / 2;
        for (int i = 0; i < n; i++) {
            double dx = a[2 * i] - b[2 * i], dy = a[2 * i + 1] - b[2 * i + 1], sq = dx * dx + dy * dy;
            all += sq;
            worst = Math.max(worst, Math.sqrt(sq));
            if (Math.sqrt(sq) > far) farCount++;
            else near += sq;
        }
        return new Errors(Math.sqrt(all / n), farCount, farCount == n ? Double.NaN : Math.sqrt(near / (n - farCount)), worst);
    }

    /** √(mean over points of ‖x_i − ref_i‖²) for two [n, 2] clouds in the same order; NaN if x diverged. */
    public static double rms(INDArray x, INDArray reference) {
        checkShapes(x, reference);
        INDArray d = x.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE));
        double meanSq = Transforms.pow(d, 2, false).sumNumber().doubleValue() / x.size(0);
        return Math.sqrt(meanSq);
    }

    private static void checkShapes(INDArray x, INDArray reference) {
        if (!java.util.Arrays.equals(x.shape(), reference.shape()) || x.rank() != 2) {
            throw new IllegalArgumentException("x %s and reference %s must both be [n, 2]"
                    .formatted(java.util.Arrays.toString(x.shape()), java.util.Arrays.toString(reference.shape())));
        }
    }

    /**
     * Whether the sampler solves the probability-flow ODE, so that its points have an exact
     * counterpart: not DDPM, not Euler–Maruyama, not DDIM with η &gt; 0 (they draw fresh noise).
     */
    public static boolean followsTheOde(SamplerKind sampler, SamplerOptions options) {
        return switch (sampler) {
            case DDPM, EULER_MARUYAMA -> false;
            case DDIM -> options.eta() == 0;
            case DPM_SOLVER, DPM_SOLVER_PP, EULER, HEUN, MIDPOINT, RK4 -> true;
        };
    }

    /**
     * Where the reference for {@code sampler} on {@code path} must stop before its jump to x̂0:
     * at the sampler's last time {@code tLast}, for every sampler whose final step is that jump
     * (DDIM, DPM-Solver, Euler, Heun; RK4 on a VP schedule); at {@link #NEARLY_ZERO} for those
     * that integrate the flow ODE down to t = 0 itself (midpoint; RK4 on the linear interpolant),
     * so their reference is the exact flow map x_1 ↦ x_0. From there the jump costs
     * ~t²·|dû/dt|/2 ≈ 10⁻⁸ on the toy data.
     */
    public static double referenceEnd(SamplerKind sampler, GaussianPath path, double tLast) {
        boolean integratesToZero = sampler == SamplerKind.MIDPOINT
                || sampler == SamplerKind.RK4 && RungeKutta4.integratesToZero(path);
        return integratesToZero ? NEARLY_ZERO : tLast;
    }
}
