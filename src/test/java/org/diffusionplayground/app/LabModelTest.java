package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionplayground.app.lab.Convergence;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.app.lab.LabRun;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The 2-D lab's view-model with jobs run at once (ND4J, no JavaFX toolkit). One run is shared by
 * the tests (a run with its convergence chart takes seconds); tests that move the timeline put
 * it back, and the one that changes a setting runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabModelTest {

    private LabModel lab;
    private final StringBuilder errors = new StringBuilder();

    @BeforeAll
    void runTwoSamplers() {
        NativeBuild.configure();
        lab = new LabModel(new DirectJobs(), (what, e) -> errors.append(Failures.describe(what, e)));
        lab.samplerProperty(0).set(SamplerKind.DDIM);
        lab.samplerProperty(1).set(SamplerKind.DPM_SOLVER_PP);
        lab.samplerProperty(2).set(null);
        lab.samplerProperty(3).set(null);
        lab.start(); // ring8, ddpm schedule, 20 log-SNR steps, seed 0
        assertEquals("", errors.toString());
        assertTrue(lab.playingProperty().get(), "a finished run plays from x_T");
    }

    @Test
    void eachLaneReportsTheDistanceBenchSamplersReportsForTheSameSettings() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        assertEquals(List.of(SamplerKind.DDIM, SamplerKind.DPM_SOLVER_PP), lanes.stream().map(LabRun.Lane::sampler).toList());
        var config = new SamplerConvergence.Config(ToyDataset.RING8, ScheduleKind.DDPM, Spacing.LOGSNR, SamplerOptions.defaults(),
                List.of(new SamplerConvergence.Case(SamplerKind.DDIM, 20), new SamplerConvergence.Case(SamplerKind.DPM_SOLVER_PP, 20)),
                2000, 20_000, 256, 0);
        List<SamplerConvergence.Row> rows = SamplerConvergence.run(config);
        assertEquals(rows.get(1).slicedWasserstein(), lanes.get(0).slicedWasserstein(), 1e-9);
        assertEquals(rows.get(2).slicedWasserstein(), lanes.get(1).slicedWasserstein(), 1e-9);
        assertEquals(0.1022, lanes.get(0).slicedWasserstein(), 5e-5); // CLI.md's `bench samplers` table, ddim at 20 steps
        assertEquals(20, lanes.get(0).nfe());
        assertEquals("SW₂ " + Format.number(lanes.get(0).slicedWasserstein()) + " · NFE 20", lab.lane(0).statusProperty().get());
        assertEquals("off", lab.lane(2).statusProperty().get());
    }

    @Test
    void framesRunFromTheSharedXtToTheFinalSamples() {
        LabRun.Lane ddim = lab.lanesProperty().get().get(0), dpm = lab.lanesProperty().get().get(1);
        assertEquals(21, ddim.frames());
        float[] xT = new Noise(0, DataType.FLOAT).normal(2000, 2).reshape(4000).toFloatVector();
        assertArrayEquals(xT, ddim.x()[0]);
        assertArrayEquals(xT, dpm.x()[0]); // same x_T in every lane
        float[] direct = new SamplerRun(SamplerKind.DDIM, SamplerOptions.defaults(), Spacing.LOGSNR, 20)
                .run(ToyDataset.RING8.mixture().oracle(NoiseSchedule.ddpm()), 2000, 0).x().reshape(4000).toFloatVector();
        assertArrayEquals(direct, ddim.x()[20], 1e-6f);
        assertEquals(1.0, ddim.times()[0], 1e-12); // log-SNR spacing starts at t = 1
        assertEquals(0.0, ddim.times()[20], 0);
    }

    @Test
    void theTimelineShowsPointsPathsAndPredX0OfTheCurrentFrame() {
        LabRun.Lane ddim = lab.lanesProperty().get().get(0);
        lab.playingProperty().set(false);
        lab.frameProperty().set(5);
        assertSame(ddim.x()[5], lab.lane(0).pointsProperty().get());
        assertEquals(12, lab.lane(0).pathsProperty().get().size());
        assertEquals(2 * 6, lab.lane(0).pathsProperty().get().get(0).length);
        assertEquals(ddim.x()[3][0], lab.lane(0).pathsProperty().get().get(0)[6]); // point 0 at frame 3
        lab.showPredX0Property().set(true);
        assertSame(ddim.predX0()[5], lab.lane(0).pointsProperty().get());
        assertTrue(lab.lane(0).timeProperty().get().startsWith("x̂₀ at t = " + Format.number(ddim.times()[5])));
        lab.showPredX0Property().set(false);
    }

    @Test
    void convergenceRunsEachLaneSamplerAtFiveStepCountsWithTheFloor() {
        List<SamplerConvergence.Row> rows = lab.convergence().rowsProperty().get();
        assertEquals(1 + 2 * 5, rows.size());
        assertEquals("exact", rows.get(0).sampler());
        assertEquals(List.of("ddim", "dpm-solver++", "exact floor"),
                lab.convergence().curvesProperty().get().stream().map(c -> c.name()).toList());
        // DDIM's error falls as its steps grow (5 → 100)
        double[] ddim = lab.convergence().curvesProperty().get().get(0).y();
        assertTrue(ddim[0] > ddim[2] && ddim[2] > ddim[4] - 0.01, java.util.Arrays.toString(ddim));
    }

    @Test
    void againstTheExactOdeSolutionTheSlopesShowEachSolversOrder() {
        var rows = lab.convergence().rowsProperty().get();
        lab.convergence().measureProperty().set(Convergence.Measure.ODE);
        try {
            var curves = lab.convergence().curvesProperty().get();
            assertEquals(List.of("ddim", "dpm-solver++", Convergence.REFERENCE_ERROR), curves.stream().map(c -> c.name()).toList(),
                    "no floor line; the reference's own error instead");
            assertTrue(lab.convergence().orderText("ddim").startsWith("order ≈ "), lab.convergence().orderText("ddim"));
            assertSame(rows, lab.convergence().rowsProperty().get(), "switching the measure does not recompute");
            // slope between 50 and 100 steps; measured 1.03 (DDIM, order 1) and 1.74 (DPM-Solver++(2M), order 2,
            // still approaching it at 100 steps)
            double ddim = Convergence.order(curves.get(0)), dpm = Convergence.order(curves.get(1));
            assertTrue(ddim > 0.85 && ddim < 1.2, "ddim order " + ddim);
            assertTrue(dpm > 1.5 && dpm < 2.4, "dpm-solver++ order " + dpm);
            double[] ddimError = curves.get(0).y();
            for (int i = 1; i < ddimError.length; i++) assertTrue(ddimError[i] < ddimError[i - 1], java.util.Arrays.toString(ddimError));
        } finally {
            lab.convergence().measureProperty().set(Convergence.Measure.TRUTH);
        }
        assertEquals("exact floor", lab.convergence().curvesProperty().get().get(2).name());
    }

    @Test
    void withAStochasticSamplerTheOdeViewShowsOnlyTheDeterministicOnes() {
        var rows = lab.convergence().rowsProperty().get();
        var withDdpm = new java.util.ArrayList<>(rows);
        withDdpm.add(new org.diffusionplayground.model.eval.SamplerConvergence.Row("ddpm", 5, 5, 0.2, 1));
        assertEquals(List.of("ddim", "dpm-solver++", Convergence.REFERENCE_ERROR), Convergence.curves(withDdpm, Convergence.Measure.ODE)
                .stream().map(c -> c.name()).toList());
        assertEquals(List.of("ddim", "dpm-solver++", "ddpm", "exact floor"), Convergence.curves(withDdpm, Convergence.Measure.TRUTH)
                .stream().map(c -> c.name()).toList());
    }

    @Test
    void theOrderIsReadOnlyWhereTheRmsCanShowIt() {
        // the spiral's DPM-Solver++ (OdeReferenceTest): one point of 2,000 ends 0.69 away at 50 and 100 steps
        var exact = new SamplerConvergence.Row("exact", 0, 0, 0.03, 0, 1e-6, 0, Double.NaN);
        var spiral = List.of(exact, new SamplerConvergence.Row("dpm-solver++", 50, 50, 0.045, 1, 1.585e-2, 1, 1.0e-3),
                new SamplerConvergence.Row("dpm-solver++", 100, 100, 0.045, 1, 1.545e-2, 1, 2.5e-4));
        assertEquals("order ≈ 2.0 on 1,999 of 2,000 points",
                Convergence.orderText(spiral, "dpm-solver++", 2000));
        var resolved = List.of(exact, new SamplerConvergence.Row("ddim", 50, 50, 0.045, 1, 4e-3, 0, 4e-3),
                new SamplerConvergence.Row("ddim", 100, 100, 0.045, 1, 2e-3, 0, 2e-3));
        assertEquals("order ≈ 1.0", Convergence.orderText(resolved, "ddim", 2000));
        var atTheReference = List.of(exact, new SamplerConvergence.Row("dpm-solver", 50, 148, 0.045, 1, 2e-5, 0, 2e-5),
                new SamplerConvergence.Row("dpm-solver", 100, 298, 0.045, 1, 5e-6, 0, 5e-6));
        assertEquals("order ? (within 10× of the exact solution's error)",
                Convergence.orderText(atTheReference, "dpm-solver", 2000));
    }

    @Test
    @Order(Integer.MAX_VALUE) // after every test without @Order (JUnit gives those Order.DEFAULT)
    void changingTheStepCountRerunsTheLanesButKeepsTheConvergenceChart() {
        var chart = lab.convergence().rowsProperty().get();
        var before = lab.lanesProperty().get();
        lab.stepsProperty().set(7);
        assertNotSame(before, lab.lanesProperty().get());
        assertEquals(8, lab.lanesProperty().get().get(0).frames());
        assertSame(chart, lab.convergence().rowsProperty().get());
    }

    @Test
    void forwardModeNoisesTheDataWithTheScheduleCoefficients() {
        lab.modeProperty().set(LabModel.Mode.FORWARD);
        lab.forwardStepProperty().set(400);
        LabRun.Data data = lab.dataProperty().get();
        NoiseSchedule s = NoiseSchedule.ddpm();
        float a = (float) s.alpha(0.4), sigma = (float) s.sigma(0.4);
        float[] x = lab.forwardPointsProperty().get();
        for (int i = 0; i < x.length; i++) assertEquals(a * data.x0()[i] + sigma * data.eps()[i], x[i], 1e-6f);
        lab.toEnd();
        assertEquals(1000, lab.forwardStepProperty().get());
        lab.modeProperty().set(LabModel.Mode.REVERSE);
    }

    @Test
    void playbackStepsThroughReverseFramesAtLeastSixASecond() {
        lab.toStart();
        lab.togglePlay();
        lab.advance(1.0);
        assertEquals(6, lab.frameProperty().get());
        lab.advance(100);
        assertEquals(20, lab.frameProperty().get());
        assertTrue(!lab.playingProperty().get());
    }
}
