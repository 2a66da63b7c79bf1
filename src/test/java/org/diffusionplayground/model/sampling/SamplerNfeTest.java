package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.sampling.solvers.Ddpm;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Network evaluations per run, the registry of samplers, and reproducibility from the seed. */
class SamplerNfeTest {

    private static final GaussianDenoiser MODEL = new GaussianDenoiser(NoiseSchedule.ddpm(), 0.5, 1.0);

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** n steps (the last one to t = 0) cost: the expected NFE. */
    @ParameterizedTest(name = "{0} order {1}, {2} steps → NFE {3}")
    @CsvSource({
        "ddpm, 2, 10, 10", "ddim, 2, 10, 10", "euler, 2, 10, 10", "euler-maruyama, 2, 10, 10",
        "dpm-solver++, 2, 10, 10", "heun, 2, 10, 19", "heun, 2, 1, 1",
        "dpm-solver, 1, 10, 10", "dpm-solver, 2, 10, 19", "dpm-solver, 3, 10, 28", "dpm-solver, 3, 1, 1",
        "midpoint, 2, 10, 20", "rk4, 2, 10, 37", "rk4, 2, 1, 1"}) // rk4 on a VP schedule: its final step jumps to x̂0
    void nfeFollowsTheSolversStages(String name, int order, int steps, int expectedNfe) {
        SamplerOptions options = SamplerOptions.defaults().withOrder(order);
        var sampler = SamplerKind.parse(name).create(options, new Noise(1, DataType.DOUBLE));
        ModelFn model = ModelFn.unconditional(MODEL);
        INDArray xT = new Noise(2, DataType.DOUBLE).normal(3, 2);
        var result = SamplingLoop.run(sampler, model, xT, Spacing.LINEAR.times(MODEL.schedule(), steps));
        assertEquals(expectedNfe, result.nfe());
    }

    @Test
    void everyCliNameParsesToItsKindWithACitation() {
        String[] names = {"ddpm", "ddim", "dpm-solver", "dpm-solver++", "euler", "heun", "euler-maruyama", "midpoint", "rk4"};
        assertEquals(names.length, SamplerKind.values().length);
        for (String name : names) {
            SamplerKind kind = SamplerKind.parse(name);
            assertEquals(name, kind.cliName());
            assertTrue(kind.citation().matches(".*\\d{4}.*"), kind.citation());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.parse("plms"));
        assertTrue(e.getMessage().contains("euler-maruyama"), e.getMessage());
    }

    @Test
    void optionsReachTheSamplersThatUseThem() {
        Noise noise = new Noise(1);
        SamplerOptions options = new SamplerOptions(0.3, 3, true);
        assertEquals(3, ((DpmSolver) SamplerKind.DPM_SOLVER.create(options, noise)).order());
        assertTrue(((Ddpm) SamplerKind.DDPM.create(options, noise)).largeVariance());
        assertNotSame(SamplerKind.DPM_SOLVER_PP.create(options, noise), SamplerKind.DPM_SOLVER_PP.create(options, noise));
    }

    @Test
    void stochasticSamplersAreReproducibleFromTheSeedAndDifferAcrossSeeds() {
        for (SamplerKind kind : new SamplerKind[] {SamplerKind.DDPM, SamplerKind.EULER_MARUYAMA}) {
            INDArray a = run(kind, 7), b = run(kind, 7), c = run(kind, 8);
            assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 0, kind + " same seed");
            assertTrue(a.sub(c).amaxNumber().doubleValue() > 1e-3, kind + " different seeds");
        }
        INDArray eta = runDdim(0.5, 7);
        assertEquals(0, eta.sub(runDdim(0.5, 7)).amaxNumber().doubleValue(), 0);
        assertTrue(eta.sub(runDdim(0.5, 8)).amaxNumber().doubleValue() > 1e-3);
    }

    private static INDArray run(SamplerKind kind, long seed) {
        var sampler = kind.create(SamplerOptions.defaults(), new Noise(seed, DataType.DOUBLE));
        INDArray xT = new Noise(2, DataType.DOUBLE).normal(3, 2);
        return SamplingLoop.run(sampler, ModelFn.unconditional(MODEL), xT, Spacing.LINEAR.times(MODEL.schedule(), 20)).x();
    }

    private static INDArray runDdim(double eta, long seed) {
        var sampler = SamplerKind.DDIM.create(SamplerOptions.defaults().withEta(eta), new Noise(seed, DataType.DOUBLE));
        INDArray xT = new Noise(2, DataType.DOUBLE).normal(3, 2);
        return SamplingLoop.run(sampler, ModelFn.unconditional(MODEL), xT, Spacing.LINEAR.times(MODEL.schedule(), 20)).x();
    }
}
