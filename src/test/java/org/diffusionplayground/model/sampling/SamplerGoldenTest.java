package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.sampling.solvers.Ddim;
import org.diffusionplayground.model.sampling.solvers.Ddpm;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.DpmSolverPlusPlus2M;
import org.diffusionplayground.model.sampling.solvers.Heun;
import org.diffusionplayground.model.schedule.Spacing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Three steps of each sampler with a fixed dummy denoiser ε̂(x, t) = 0.5·x + 0.1·t, fixed x_T
 * and fixed noise, against numbers from an independent plain-Python implementation:
 * {@code src/test/resources/golden/samplers_golden.py} (run it with python3; it prints the arrays
 * below). Its docstring lists the formulas it uses.
 */
class SamplerGoldenTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.ddpm();
    private static final double[] X_T = {0.5, -1.0, 1.5, 0.25};
    private static final long NOISE_SEED = 42;

    private static final double[] DDIM = {12.70011534382999, -49.86884650012662, 54.41275657313441, 2.271955036503887};
    private static final double[] DDPM = {12.927289392920924, -50.26923051430325, 50.48977739278903, 0.2791999958915497};
    private static final double[] DPM_SOLVER_PP_2M = {4.4495107987540266, -16.16460716980479, 18.19225611112657, 1.0138244706608879};
    private static final double[] DPM_SOLVER_3 = {6.653538699426481, -28.150754235792718, 29.856400656239288, 0.8528232102232837};
    private static final double[] HEUN = {-68.06278303892509, 280.08392568862854, -300.1605888572941, -10.038331584332788};

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void theFixedInputsAreTheOnesTheScriptUses() {
        assertArrayEquals(new double[] {1.0, 0.501, 0.001}, Spacing.LINEAR.times(SCHEDULE, 3), 1e-15);
        Noise noise = new Noise(NOISE_SEED, DataType.DOUBLE);
        assertArrayEquals(new double[] {0.49295065581737485, -0.6940056672160174, -1.2810773478777024, -0.901557193497174},
                noise.normal(2, 2).data().asDouble(), 0);
        assertArrayEquals(new double[] {-0.6018779810957331, 0.6425676289796471, -1.5423606818352653, 1.1416459469338724},
                noise.normal(2, 2).data().asDouble(), 0);
    }

    @Test
    void ddimWithEtaZeroMatchesTheGoldenNumbers() {
        assertGolden(DDIM, noise -> new Ddim(0, noise));
    }

    @Test
    void ddpmWithPosteriorVarianceMatchesTheGoldenNumbers() {
        assertGolden(DDPM, noise -> new Ddpm(false, noise));
    }

    @Test
    void dpmSolverPlusPlus2MMatchesTheGoldenNumbers() {
        assertGolden(DPM_SOLVER_PP_2M, noise -> new DpmSolverPlusPlus2M());
    }

    @Test
    void dpmSolverThirdOrderMatchesTheGoldenNumbers() {
        assertGolden(DPM_SOLVER_3, noise -> new DpmSolver(3));
    }

    @Test
    void heunMatchesTheGoldenNumbers() {
        assertGolden(HEUN, noise -> new Heun());
    }

    private static void assertGolden(double[] expected, Function<Noise, Sampler> sampler) {
        INDArray xT = Nd4j.create(X_T, new long[] {2, 2}, DataType.DOUBLE);
        Sampler s = sampler.apply(new Noise(NOISE_SEED, DataType.DOUBLE));
        double[] times = Spacing.LINEAR.times(SCHEDULE, 3);
        double[] actual = SamplingLoop.run(s, ModelFn.unconditional(new Dummy()), xT, times).x().data().asDouble();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * Math.abs(expected[i]), "element " + i);
        }
    }

    /** ε̂(x, t) = 0.5·x + 0.1·t, elementwise. */
    private static final class Dummy implements Denoiser {
        @Override
        public INDArray predict(INDArray x, double t, INDArray cond) {
            return x.mul(0.5).addi(0.1 * t);
        }

        @Override
        public Parameterization parameterization() {
            return Parameterization.EPS;
        }

        @Override
        public NoiseSchedule schedule() {
            return SCHEDULE;
        }
    }
}
