package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionplayground.app.lab.Convergence;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.app.lab.LabRun;
import org.diffusionplayground.app.lab.LaneProcess;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.ToyDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab's flow lanes, with jobs run at once: DDIM on the diffusion model, RK4 on the exact flow
 * and Euler on the reflowed flow (trained by the lab on first use), from one x_T; their
 * straightness read-outs, and the convergence chart with diffusion ODE, flow and reflowed flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabFlowTest {

    private LabModel lab;
    private final StringBuilder errors = new StringBuilder();

    @BeforeAll
    void runDiffusionFlowAndReflow() {
        NativeBuild.configure();
        lab = new LabModel(new DirectJobs(), (what, e) -> errors.append(Failures.describe(what, e)));
        lab.samplerProperty(0).set(SamplerKind.DDIM);
        lab.samplerProperty(1).set(SamplerKind.RK4);
        lab.processProperty(1).set(LaneProcess.FLOW);
        lab.samplerProperty(2).set(SamplerKind.EULER);
        lab.processProperty(2).set(LaneProcess.REFLOW);
        lab.samplerProperty(3).set(null);
        lab.stepsProperty().set(10);
        lab.start();
        assertEquals("", errors.toString());
    }

    @Test
    void flowLanesStartFromTheDiffusionLanesXtAndRunTheExactFlow() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        assertEquals(List.of(LaneProcess.DIFFUSION, LaneProcess.FLOW, LaneProcess.REFLOW),
                lanes.stream().map(LabRun.Lane::process).toList());
        assertArrayEquals(lanes.get(0).x()[0], lanes.get(1).x()[0]);
        assertArrayEquals(lanes.get(0).x()[0], lanes.get(2).x()[0]);
        LabRun.Lane rk4 = lanes.get(1);
        assertEquals(40, rk4.nfe());
        assertEquals(0.9, rk4.times()[1], 1e-12, "uniform steps in t");
        float[] direct = new SamplerRun(SamplerKind.RK4, SamplerOptions.defaults(), Spacing.TRAILING, 10)
                .run(ToyDataset.RING8.mixture().oracle(LinearInterpolant.defaults(), Parameterization.U), 2000, 0).xFloats();
        assertArrayEquals(direct, rk4.x()[10], 1e-6f);
    }

    /** Straightness read-outs: the reflowed flow's paths are straighter than the exact flow's (ReflowTest measures it). */
    @Test
    void everyLaneReadsOutItsStraightnessAndReflowIsStraighter() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        double exact = lanes.get(1).straightness().chordDeviation(), reflowed = lanes.get(2).straightness().chordDeviation();
        assertTrue(reflowed < 0.5 * exact, "off the chord: exact flow %.4f, reflowed %.4f".formatted(exact, reflowed));
        assertTrue(lanes.get(2).slicedWasserstein() < 0.2, "10 Euler steps of the reflowed flow: SW-2 " + lanes.get(2).slicedWasserstein());
        lab.frameProperty().set(3);
        assertEquals("paths: length ÷ chord %s · %s off the chord".formatted(Format.number(lanes.get(1).straightness().lengthRatio()),
                Format.number(exact)), lab.lane(1).straightnessProperty().get());
        assertEquals("", lab.reflowStatusProperty().get());
    }

    @Test
    void theConvergenceChartSetsDiffusionFlowAndReflowSideBySide() {
        List<String> names = lab.convergence().curvesProperty().get().stream().map(c -> c.name()).toList();
        assertEquals(List.of("ddim", "rk4 · flow", "euler · reflow", Convergence.FLOOR), names);
        lab.convergence().measureProperty().set(Convergence.Measure.ODE);
        String rk4 = lab.convergence().orderText("rk4 · flow");
        assertTrue(rk4.startsWith("order ≈ 3.") || rk4.startsWith("order ≈ 4.") || rk4.startsWith("order ?"), rk4);
        assertTrue(lab.convergence().orderText("ddim").startsWith("order ≈ 1."), lab.convergence().orderText("ddim"));
        double own = lab.convergence().rowsProperty().get().get(0).odeRms(); // the largest of the three references' own errors
        assertTrue(own < 1e-4, "the references' own error " + own);
        lab.convergence().measureProperty().set(Convergence.Measure.TRUTH);
    }
}
