package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Reverse page on a flow model ({@link FlowFakes}: the known-x̂0 fake on the linear interpolant), without the toolkit. */
class ReverseFlowModelTest {

    private final List<String> errors = new ArrayList<>();
    private final KnownX0Denoiser diffusion = ReverseModelTest.fakeDenoiser();
    private final KnownX0Denoiser flowX0 = ReverseModelTest.fakeDenoiser();
    private ImageModel images;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private ReverseModel model() {
        DirectJobs jobs = new DirectJobs();
        images = new ImageModel(jobs, FlowFakes.networks(diffusion, FlowFakes.flow(flowX0), true),
                (what, e) -> errors.add(Failures.describe(what, e)));
        ReverseModel m = new ReverseModel(jobs, images, (what, e) -> errors.add(Failures.describe(what, e)));
        m.stepsProperty().set(5);
        m.gridProperty().set(2);
        return m;
    }

    @Test
    void aFlowModelIsOfferedItsIntegratorsAndStartsOnEulerInUniformStepsOfT() {
        ReverseModel m = model();
        m.start();
        assertEquals(ReverseModel.DIFFUSION_SAMPLERS, m.samplersProperty().get());
        assertEquals(SamplerKind.DPM_SOLVER_PP, m.samplerProperty().get());
        images.openShipped(PathFamily.FLOW);
        assertEquals(PathFamily.FLOW, m.familyProperty().get());
        assertEquals(List.of(SamplerKind.EULER, SamplerKind.MIDPOINT, SamplerKind.RK4, SamplerKind.HEUN, SamplerKind.DDIM,
                SamplerKind.DPM_SOLVER_PP), m.samplersProperty().get());
        assertEquals(SamplerKind.EULER, m.samplerProperty().get(), "the diffusion default gave way to the flow's");
        assertEquals(Spacing.TRAILING, m.spacingProperty().get(), "uniform steps in t");
        assertTrue(m.recording().complete());
        assertEquals("5", m.nfeTextProperty().get());
        // Euler on the interpolant is DDIM (η = 0): the last step lands on the guided x̂0, (1 − 3)·x0_null + 3·x0_k
        float[] last = m.xImagesProperty().get();
        for (int i = 0; i < 4; i++) assertEquals(-2 * ReverseModelTest.level(10) + 3 * ReverseModelTest.level(i), last[i * 784 + 99], 1e-4);
        assertTrue(flowX0.calls().size() == 5 && diffusion.calls().size() == 5, "one run on each model");
        m.toStart();
        assertEquals("1.000", m.timeTextProperty().get(), "frame 0 is pure noise at t = 1 (α = 0)");
        assertTrue(m.equationProperty().get().startsWith("t = 1.000 → s = 0.8000:   xₛ = xₜ + (s − t)·û = xₜ − 0.2000·û"),
                m.equationProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void rk4SpendsFourEvaluationsAStepAndItsEquationNamesItsStages() {
        ReverseModel m = model();
        m.start();
        images.open(Path.of("/tmp/runs/mnist-flow"));
        m.samplerProperty().set(SamplerKind.RK4);
        m.stepsProperty().set(2);
        assertEquals("8", m.nfeTextProperty().get());
        m.frameProperty().set(0);
        assertTrue(m.equationProperty().get().startsWith("t = 1.000 → s = 0.5000:   xₛ = xₜ + (h/6)·(k₁ + 2k₂ + 2k₃ + k₄),  h = −0.5000"),
                m.equationProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void backOnTheDiffusionModelItsDefaultsReturnButAHandPickedSamplerStays() {
        ReverseModel m = model();
        m.start();
        images.openShipped(PathFamily.FLOW);
        images.openShipped(PathFamily.DIFFUSION);
        assertEquals(SamplerKind.DPM_SOLVER_PP, m.samplerProperty().get());
        assertEquals(Spacing.LOGSNR, m.spacingProperty().get());
        images.openShipped(PathFamily.FLOW);
        m.samplerProperty().set(SamplerKind.RK4);
        m.spacingProperty().set(Spacing.LINEAR);
        images.openShipped(PathFamily.DIFFUSION);
        assertEquals(SamplerKind.RK4, m.samplerProperty().get(), "RK4 runs on a VP path too: kept");
        assertEquals(Spacing.LINEAR, m.spacingProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void withoutTheShippedFlowModelPickingItSaysWhereItComesFromAndKeepsTheDiffusionModel() {
        DirectJobs jobs = new DirectJobs();
        images = new ImageModel(jobs, FlowFakes.networks(diffusion, FlowFakes.flow(flowX0), false),
                (what, e) -> errors.add(Failures.describe(what, e)));
        ReverseModel m = new ReverseModel(jobs, images, (what, e) -> errors.add(Failures.describe(what, e)));
        m.start();
        assertTrue(!images.ships(PathFamily.FLOW));
        images.openShipped(PathFamily.FLOW);
        assertEquals(PathFamily.DIFFUSION, m.familyProperty().get());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("mnist-flow.dpck") && errors.get(0).contains("--objective flow"), errors.get(0));
    }
}
