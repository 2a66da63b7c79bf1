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
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab's reflowed-flow lane (slow: the lab trains the MLP, ~1,000 steps, and the convergence
 * chart solves its ODE): RK4 on the exact flow and Euler on the reflowed flow from one x_T; the
 * reflowed paths are straighter, and the chart sets diffusion ODE, flow and reflowed flow side by side.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabReflowTest {

    private LabModel lab;
    private final StringBuilder errors = new StringBuilder();

    @BeforeAll
    void runFlowAndReflow() {
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
    void theReflowedLaneStartsFromTheSameXtWithStraighterPaths() {
        List<LabRun.Lane> lanes = lab.lanesProperty().get();
        assertEquals(LaneProcess.REFLOW, lanes.get(2).process());
        assertArrayEquals(lanes.get(0).x()[0], lanes.get(2).x()[0]);
        double exact = lanes.get(1).straightness().chordDeviation(), reflowed = lanes.get(2).straightness().chordDeviation();
        assertTrue(reflowed < 0.5 * exact, "off the chord: exact flow %.4f, reflowed %.4f".formatted(exact, reflowed));
        assertTrue(lanes.get(2).slicedWasserstein() < 0.2, "10 Euler steps of the reflowed flow: SW-2 " + lanes.get(2).slicedWasserstein());
        assertEquals("", lab.reflowStatusProperty().get());
    }

    @Test
    void theConvergenceChartSetsDiffusionFlowAndReflowSideBySide() {
        List<String> names = lab.convergence().curvesProperty().get().stream().map(c -> c.name()).toList();
        assertEquals(List.of("ddim", "rk4 · flow", "euler · reflow", Convergence.FLOOR), names);
        double own = lab.convergence().rowsProperty().get().get(0).odeRms(); // the largest of the three references' own errors
        assertTrue(own < 1e-3, "the references' own error " + own);
    }
}
