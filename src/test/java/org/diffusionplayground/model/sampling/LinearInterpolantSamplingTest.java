package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.solvers.Ddim;
import org.diffusionplayground.model.sampling.solvers.Ddpm;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.DpmSolverPlusPlus2M;
import org.diffusionplayground.model.sampling.solvers.Euler;
import org.diffusionplayground.model.sampling.solvers.EulerMaruyama;
import org.diffusionplayground.model.sampling.solvers.Heun;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.GaussianMixture;
import org.diffusionplayground.model.toy.ToyDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A flow-matching model through every sampler: the linear interpolant x_t = (1 − t)·x0 + t·ε,
 * data x0 ~ N(μ, s²·I) in 2-D, and the exact velocity û = E[ε − x0 | x_t] (the mixture oracle
 * of one component, answering in {@link Parameterization#U}). Samplers start at t = 1, where
 * α = 0 and x_1 ~ N(0, I) exactly.
 *
 * <p>The probability-flow ODE map is closed form: p_t = N(α_t·μ, (α_t²s² + σ_t²)·I) and the
 * velocity is affine in x, so the flow is an increasing affine map per coordinate and keeps the
 * standardised value: x_t = α_t·μ + √(α_t²s² + σ_t²)·(x_1 − α_1·μ)/√(α_1²s² + σ_1²), here
 * x_t = α_t·μ + √(α_t²s² + σ_t²)·x_1. Deterministic samplers are checked against it, stochastic
 * ones against the data's mean and standard deviation.
 */
@ExtendWith(SingleThreadNd4j.class)
class LinearInterpolantSamplingTest {

    private static final double MU = 1.5, S = 0.5;
    private static final LinearInterpolant PATH = LinearInterpolant.defaults();
    private static final Denoiser FLOW = GaussianMixture.single(MU, MU, S).oracle(PATH, Parameterization.U);

    static Supplier<Sampler> sampler(String name) {
        return switch (name) {
            case "ddim" -> () -> new Ddim(0, null);
            case "euler" -> Euler::new;
            case "heun" -> Heun::new;
            case "dpm-solver-1" -> () -> new DpmSolver(1);
            case "dpm-solver-2" -> () -> new DpmSolver(2);
            case "dpm-solver-3" -> () -> new DpmSolver(3);
            case "dpm-solver++" -> DpmSolverPlusPlus2M::new;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * Error at 20, 40 and 80 steps: it falls every time, by at least ~2^order per doubling, and
     * is small at 80. Measured max |error| at 40 → 80 steps (ratio): ddim LINEAR 4.2e-2 → 2.1e-2
     * (2.0), heun LINEAR 2.3e-3 → 5.6e-4 (4.0), dpm-solver-2 LOGSNR 9.4e-3 → 2.2e-3 (4.2),
     * dpm-solver-3 LOGSNR 7.7e-5 → 7.9e-6 (9.7), dpm-solver++ LINEAR 2.3e-2 → 5.0e-3 (4.6).
     * DPM-Solver-3 on LINEAR spacing counts as order 2: its first step, from α = 0, is first
     * order (see {@link DpmSolver}), and its local error O(h²) dominates (ratio 5.2).
     */
    @ParameterizedTest(name = "{0}, {1}: order ≥ {2}, error at 80 steps < {3}")
    @CsvSource({"ddim, LINEAR, 1, 3e-2", "ddim, LOGSNR, 1, 6e-2", "euler, LINEAR, 1, 3e-2",
        "dpm-solver-1, LOGSNR, 1, 6e-2", "heun, LINEAR, 2, 1e-3", "heun, LOGSNR, 2, 6e-3",
        "dpm-solver-2, LINEAR, 2, 1e-3", "dpm-solver-2, LOGSNR, 2, 3e-3", "dpm-solver-3, LINEAR, 2, 2e-4",
        "dpm-solver-3, LOGSNR, 3, 2e-5", "dpm-solver++, LINEAR, 2, 7e-3", "dpm-solver++, LOGSNR, 2, 3e-3"})
    void deterministicSamplersConvergeToTheExactOdeMapAtTheirOrder(String name, Spacing spacing, int order,
                                                                   double bound) {
        double e20 = odeError(sampler(name), 20, spacing), e40 = odeError(sampler(name), 40, spacing);
        double e80 = odeError(sampler(name), 80, spacing);
        String errors = "%s %s: %.3e, %.3e, %.3e at 20, 40, 80 steps".formatted(name, spacing, e20, e40, e80);
        assertTrue(e20 > e40 && e40 > e80, errors);
        assertTrue(e40 / e80 > 0.75 * Math.pow(2, order), errors);
        assertTrue(e80 < bound, errors);
    }

    /** Stochastic samplers: the samples' mean and standard deviation are the data's. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ddpm", "ddpm-large", "ddim-eta-0.5", "euler-maruyama"})
    void stochasticSamplersDrawTheDataDistribution(String name) {
        Noise noise = new Noise(21, DataType.DOUBLE);
        INDArray x1 = noise.normal(10_000, 2);
        Sampler sampler = switch (name) {
            case "ddpm" -> new Ddpm(false, noise.split());
            case "ddpm-large" -> new Ddpm(true, noise.split());
            case "ddim-eta-0.5" -> new Ddim(0.5, noise.split());
            default -> new EulerMaruyama(noise.split());
        };
        INDArray x = SamplingLoop.run(sampler, ModelFn.unconditional(FLOW), x1, Spacing.LINEAR.times(PATH, 1000)).x();
        double mean = x.meanNumber().doubleValue(), std = x.stdNumber().doubleValue();
        System.out.printf("linear interpolant, %s, 1000 steps: mean %.4f, std %.4f%n", name, mean, std);
        // 20 000 values: standard errors s/√n = 0.0035 (mean) and s/√(2n) = 0.0025 (std); allow ~4
        assertEquals(MU, mean, 0.015, name + " mean");
        assertEquals(S, std, 0.01, name + " std");
    }

    /** x̂0 clipping re-expresses a velocity model's output: x̂0 is clipped and x_t = α·x̂0' + σ·ε' still holds. */
    @Test
    void staticClipOfAVelocityModelClipsX0AndStillExplainsXt() {
        INDArray x = new Noise(7, DataType.DOUBLE).normal(64, 2);
        ModelFn clipped = ModelFn.unconditional(X0Clip.STATIC.wrap(FLOW));
        for (double t : new double[] {0.3, 1.0}) {
            Prediction p = clipped.at(x, t);
            INDArray expected = Transforms.min(Transforms.max(posteriorMean(x, t), -1), 1);
            assertEquals(0, p.predX0().sub(expected).amaxNumber().doubleValue(), 1e-9, "x̂0 at t = " + t);
            INDArray explained = p.predX0().mul(PATH.alpha(t)).addi(p.eps().mul(PATH.sigma(t)));
            assertEquals(0, explained.sub(x).amaxNumber().doubleValue(), 1e-9, "x_t at t = " + t);
        }
    }

    /** Guiding û is guiding ε̂ (the conversion is affine at fixed x_t, t), and a guided run from t = 1 stays finite. */
    @Test
    void guidanceOfAVelocityModelEqualsGuidanceOfItsNoisePrediction() {
        Denoiser ring = ToyDataset.RING8.mixture().oracle(PATH, Parameterization.U);
        INDArray x = new Noise(8, DataType.DOUBLE).normal(8, 2);
        INDArray labels = Nd4j.createFromArray(new double[] {0, 1, 2, 3, 4, 5, 6, 7});
        INDArray nulls = Nd4j.valueArrayOf(new long[] {8}, ring.nullClass(), DataType.DOUBLE);
        double w = 2.5;
        for (double t : new double[] {0.4, 1.0}) {
            Coefficients c = PATH.coefficients(t);
            INDArray epsCond = Parameterization.U.toEps(ring.predict(x, t, labels), x, c);
            INDArray epsNull = Parameterization.U.toEps(ring.predict(x, t, nulls), x, c);
            INDArray guided = new ModelFn(new ClassifierFreeGuidance(ring, w), labels).at(x, t).eps();
            INDArray expected = epsNull.add(epsCond.sub(epsNull).mul(w));
            assertEquals(0, guided.sub(expected).amaxNumber().doubleValue(), 1e-10, "t = " + t);
        }
        ModelFn guided = new ModelFn(new ClassifierFreeGuidance(ring, w), labels);
        INDArray sample = SamplingLoop.run(new DpmSolverPlusPlus2M(), guided, x, Spacing.LOGSNR.times(PATH, 10)).x();
        assertTrue(Double.isFinite(sample.sumNumber().doubleValue()), "guided samples are finite");
    }

    /** Max |sampler − exact| over 32×2 starts; the reference ends as the samplers do, with x̂0 at t_min. */
    static double odeError(Supplier<Sampler> sampler, int steps, Spacing spacing) {
        INDArray x1 = new Noise(5, DataType.DOUBLE).normal(32, 2);
        double[] times = spacing.times(PATH, steps);
        double tMin = times[times.length - 1];
        INDArray reference = posteriorMean(exactOdeMap(x1, tMin), tMin);
        INDArray x = SamplingLoop.run(sampler.get(), ModelFn.unconditional(FLOW), x1, times).x();
        return x.sub(reference).amaxNumber().doubleValue();
    }

    /** x_t = α_t·μ + √(α_t²s² + σ_t²)·x_1 (α_1 = 0, σ_1 = 1). */
    static INDArray exactOdeMap(INDArray x1, double t) {
        double alpha = PATH.alpha(t), sigma = PATH.sigma(t);
        return x1.mul(Math.sqrt(alpha * alpha * S * S + sigma * sigma)).addi(alpha * MU);
    }

    /** E[x0 | x_t] = μ + α·s²·(x_t − α·μ)/(α²s² + σ²). */
    static INDArray posteriorMean(INDArray x, double t) {
        double alpha = PATH.alpha(t), sigma = PATH.sigma(t);
        return x.sub(alpha * MU).muli(alpha * S * S / (alpha * alpha * S * S + sigma * sigma)).addi(MU);
    }
}
