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
 * The lab's flow lanes, with jobs run at once: DDIM on the diffusion model and RK4 on the exact
 * flow from one x_T, their straightness read-outs, and the convergence chart with diffusion ODE
 * and flow side by side. The reflowed-flow lane (half a minute of training, minutes of
 * convergence runs on a busy core) is {@link LabReflowTest}, tagged slow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabFlowTest {

    private LabModel lab;
    private final StringBuilder errors = new StringBuilder();

    @BeforeAll
    void runDiffusionAndFlow() {
        NativeBuild.configure();
        lab = new LabModel(new DirectJobs(), (what, e) -> errors.append(Failures.describe(what, e)));
        lab.samplerProperty(0).set(SamplerKind.DDIM);
        lab.samplerProperty(1).set(SamplerKind.RK4);
        lab.processProperty(1).set(LaneProcess.FLOW);
        lab.samplerProperty(2).set(null);
        lab.samplerProperty(3).set(null);
        lab.stepsProperty().set(10);
        lab.start();
        assertEquals("", errors.toString());
    }

    @Test
    void flowLanesStartFromTheDiffusionLanesXtAndRunTheExactFlow() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        assertEquals(List.of(LaneProcess.DIFFUSION, LaneProcess.FLOW), lanes.stream().map(LabRun.Lane::process).toList());
        assertArrayEquals(lanes.get(0).x()[0], lanes.get(1).x()[0]);
        LabRun.Lane rk4 = lanes.get(1);
        assertEquals(40, rk4.nfe());
        assertEquals(0.9, rk4.times()[1], 1e-12, "uniform steps in t");
        float[] direct = new SamplerRun(SamplerKind.RK4, SamplerOptions.defaults(), Spacing.TRAILING, 10)
                .run(ToyDataset.RING8.mixture().oracle(LinearInterpolant.defaults(), Parameterization.U), 2000, 0).xFloats();
        assertArrayEquals(direct, rk4.x()[10], 1e-6f);
    }

    /** The read-out is the straightness of all its points' paths; the diffusion ODE's and the exact flow's bend (> 1). */
    @Test
    void everyLaneReadsOutItsStraightness() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        lab.frameProperty().set(3);
        assertEquals("length ÷ chord %s · off %s".formatted(Format.number(lanes.get(1).straightness().lengthRatio()),
                Format.number(lanes.get(1).straightness().chordDeviation())), lab.lane(1).straightnessProperty().get());
        assertTrue(lanes.get(0).straightness().lengthRatio() > 1.01 && lanes.get(1).straightness().lengthRatio() > 1.01);
        assertEquals("", lab.reflowStatusProperty().get());
    }

    @Test
    void theConvergenceChartSetsDiffusionAndFlowSideBySide() {
        List<String> names = lab.convergence().curvesProperty().get().stream().map(c -> c.name()).toList();
        assertEquals(List.of("ddim", "rk4 · flow", Convergence.FLOOR), names);
        lab.convergence().measureProperty().set(Convergence.Measure.ODE);
        String rk4 = lab.convergence().orderText("rk4 · flow");
        assertTrue(rk4.startsWith("order ≈ 3.") || rk4.startsWith("order ≈ 4.") || rk4.startsWith("order ?"), rk4);
        assertTrue(lab.convergence().orderText("ddim").startsWith("order ≈ 1."), lab.convergence().orderText("ddim"));
        double own = lab.convergence().rowsProperty().get().get(0).odeRms(); // the larger of the two references' own errors
        assertTrue(own < 1e-4, "the references' own error " + own);
        lab.convergence().measureProperty().set(Convergence.Measure.TRUTH);
    }
}
