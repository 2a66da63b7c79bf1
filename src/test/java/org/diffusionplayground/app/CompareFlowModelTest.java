package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.compare.Comparison;
import org.diffusionplayground.app.compare.Contender;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.viz.Curve;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Compare page's diffusion model beside its flow model, on the known-x̂0 fakes of
 * {@link ReverseModelTest} and {@link FlowFakes}, jobs run at once: same x_T, same NFE per
 * column, both models' FID-lite on one chart, and the flow model's whereabouts when it is missing.
 */
class CompareFlowModelTest {

    private final List<String> errors = new ArrayList<>();
    private final KnownX0Denoiser diffusion = ReverseModelTest.fakeDenoiser();
    private final KnownX0Denoiser flowX0 = ReverseModelTest.fakeDenoiser();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private CompareModel compare(ImageModel images, MnistDataset data) {
        CompareModel m = new CompareModel(new DirectJobs(), images, new ReadOnlyObjectWrapper<>(data),
                (what, e) -> errors.add(Failures.describe(what, e)));
        m.comparisonProperty().set(Comparison.DIFFUSION_VS_FLOW);
        m.stepsProperty().set(8);
        return m;
    }

    private ImageModel images(boolean shipsFlow) {
        return new ImageModel(new DirectJobs(), FlowFakes.networks(diffusion, FlowFakes.flow(flowX0), shipsFlow),
                (what, e) -> errors.add(Failures.describe(what, e)));
    }

    @Test
    void everyColumnStartsFromTheSameXTAndSpendsTheSameNfe() {
        CompareModel m = compare(images(true), null);
        m.start();
        List<CompareModel.Lane> lanes = m.lanesProperty().get();
        assertEquals(Contender.DIFFUSION_VS_FLOW, lanes.stream().map(CompareModel.Lane::contender).toList());
        assertEquals(List.of("diffusion · ddim", "diffusion · dpm-solver++", "flow · euler", "flow · dpm-solver++", "flow · rk4"),
                m.contendersProperty().get().stream().map(Contender::name).toList());
        for (CompareModel.Lane lane : lanes) {
            assertEquals(8, lane.nfe(), lane.contender().name());
            assertArrayEquals(lanes.get(0).xT(), lane.xT(), "the same x_T as diffusion · ddim: " + lane.contender().name());
        }
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, lanes.get(4).filmFrames(), "RK4 at 8 NFE: 2 steps");
        assertEquals(2 * 8, diffusion.calls().size(), "ddim and dpm-solver++ on the diffusion model");
        assertEquals(8 + 8 + 2 * 4, flowX0.calls().size(), "euler, dpm-solver++ and rk4 on the flow model");
        // both fakes know x0: DDIM on diffusion and Euler on flow (the same algorithm) end on the same guided x̂0
        for (int i = 0; i < 4; i++) {
            float want = -2 * ReverseModelTest.level(10) + 3 * ReverseModelTest.level(i);
            assertEquals(want, lanes.get(0).images()[i * 784 + 10], 1e-4);
            assertEquals(want, lanes.get(2).images()[i * 784 + 10], 1e-4);
        }
        assertEquals("fake (shipped)", m.modelsProperty().get().get(PathFamily.DIFFUSION).name());
        assertEquals("fake-flow (shipped flow model)", m.modelsProperty().get().get(PathFamily.FLOW).name());
        assertEquals("", m.unavailableProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aFlowCheckpointOpenedAsTheCurrentModelTakesTheFlowSide() {
        ImageModel images = images(false); // no shipped flow model: the current one is used
        CompareModel m = compare(images, null);
        images.open(Path.of("/tmp/runs/mnist-flow"));
        m.start();
        assertEquals("mnist-flow", m.modelsProperty().get().get(PathFamily.FLOW).name());
        assertEquals("fake (shipped)", m.modelsProperty().get().get(PathFamily.DIFFUSION).name());
        assertEquals(5, m.lanesProperty().get().size());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void withoutTheFlowModelThePageSaysWhereItComesFromInsteadOfFailing() {
        ImageModel images = images(false);
        CompareModel m = compare(images, null);
        m.start();
        String why = m.unavailableProperty().get();
        assertTrue(why.contains("mnist-flow.dpck is not here yet") && why.contains("--objective flow")
                && why.contains("The MNIST flow model"), why);
        assertTrue(m.lanesProperty().get().isEmpty());
        assertFalse(m.computingProperty().get());
        assertTrue(errors.isEmpty(), "not an error banner: " + errors);
        m.computeQuality(20);
        assertEquals(1, errors.size(), "FID-lite says why it cannot run");
        m.comparisonProperty().set(Comparison.SAMPLERS);
        assertEquals("", m.unavailableProperty().get());
        assertEquals(CompareModel.SAMPLERS, m.lanesProperty().get().stream().map(CompareModel.Lane::sampler).toList());
    }

    @Test
    void fidLiteBesideTheFlowModelPutsBothModelsCurvesOnOneChartAgainstNfe() throws java.io.IOException {
        CompareModel m = compare(images(true), MnistDataset.bundled());
        m.start();
        m.computeQuality(20);
        assertTrue(errors.isEmpty(), errors.toString());
        List<Curve> curves = m.quality().curvesProperty().get();
        assertEquals(List.of("diffusion · ddim", "diffusion · dpm-solver++", "flow · euler", "flow · dpm-solver++", "flow · rk4",
                "real vs real"), curves.stream().map(Curve::name).toList());
        for (Curve c : curves.subList(0, 5)) assertArrayEquals(new double[] {4, 8, 20}, c.x(), c.name() + ": same NFE");
        assertEquals(6, curves.stream().map(Curve::colour).distinct().count(), "a colour each");
        // the fakes draw every digit of class k as one flat image, on either model: far from real digits
        for (Curve c : curves.subList(0, 5)) for (double fid : c.y()) assertTrue(fid > curves.get(5).y()[0], c.name() + " " + fid);
        var legend = m.quality().legendProperty().get();
        for (var e : legend.subList(0, 5)) assertTrue(e.text().matches("\\d+\\.\\d ± \\d+\\.\\d"), e.name() + ": " + e.text());
        assertTrue(legend.get(5).text().endsWith("(the others at NFE 20)"), "every column ends at NFE 20, said once");
        var kept = m.quality().curvesProperty().get();
        m.stepsProperty().set(20);
        assertSame(kept, m.quality().curvesProperty().get(), "the page's NFE does not change FID-lite");
        m.comparisonProperty().set(Comparison.SAMPLERS);
        assertTrue(m.quality().curvesProperty().get().isEmpty(), "another comparison drops it");
    }
}
