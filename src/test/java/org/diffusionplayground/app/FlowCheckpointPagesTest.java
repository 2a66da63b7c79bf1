package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.cli.Cli;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.compare.Comparison;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.PathFamily;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real flow checkpoint — the class-conditional U-Net trained for two steps by
 * {@code train --objective flow}, as {@code FlowCliTest} trains it — opened through the app's
 * {@link Networks#files()}: the Reverse page samples it with the flow integrators, and the Compare
 * page sets it beside the shipped diffusion model, both real networks, from the same x_T.
 */
class FlowCheckpointPagesTest {

    @TempDir static Path dir;
    private static Path run;
    private final List<String> errors = new ArrayList<>();

    @BeforeAll
    static void trainAFlowUNetForTwoSteps() {
        NativeBuild.configure();
        run = dir.resolve("mnist-flow");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", "--objective", "flow", "--steps", "2",
                "--batch", "2", "--out", run.toString(), "--no-progress");
        assertEquals(0, code, err.toString());
    }

    private ImageModel images(Jobs jobs) {
        return new ImageModel(jobs, Networks.files(), (what, e) -> errors.add(Failures.describe(what, e)));
    }

    @Test
    void theReversePageOpensTheCheckpointAsAFlowModelAndSamplesItWithRk4() {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        ReverseModel m = new ReverseModel(jobs, images, (what, e) -> errors.add(Failures.describe(what, e)));
        m.gridProperty().set(1);
        m.stepsProperty().set(2);
        images.open(run);
        m.start();
        Network net = images.networkProperty().get();
        assertEquals(PathFamily.FLOW, net.family());
        assertEquals(Parameterization.U, net.denoiser().parameterization(), "velocity output");
        assertTrue(net.describe().startsWith("mnist-flow · step 2 · ") && net.describe().endsWith(" · flow matching"), net.describe());
        assertEquals(SamplerKind.FLOW, m.samplersProperty().get());
        assertEquals(SamplerKind.EULER, m.samplerProperty().get());
        assertTrue(m.recording().complete());
        m.samplerProperty().set(SamplerKind.RK4);
        assertTrue(m.recording().complete());
        assertEquals("8", m.nfeTextProperty().get(), "RK4: 4 evaluations a step");
        for (float v : m.xImagesProperty().get()) assertTrue(Float.isFinite(v));
        m.frameProperty().set(0);
        assertTrue(m.predX0ImagesProperty().get() != null, "x̂0 from the first step");
        String eq = m.equationProperty().get();
        assertTrue(eq.contains("û = α′·x̂₀ + σ′·ε̂ = −1.000·x̂₀ + 1.000·ε̂") && eq.contains("û = (1 − w)·û(xₜ) + w·û(xₜ, c)"), eq);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void theComparePageSetsItBesideTheShippedDiffusionModelFromTheSameXT() {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        CompareModel m = new CompareModel(jobs, images, new ReadOnlyObjectWrapper<>(),
                (what, e) -> errors.add(Failures.describe(what, e)));
        m.comparisonProperty().set(Comparison.DIFFUSION_VS_FLOW);
        m.stepsProperty().set(4);
        images.open(run);
        m.start();
        assertEquals("mnist-small (shipped)", m.modelsProperty().get().get(PathFamily.DIFFUSION).name());
        assertEquals("mnist-flow", m.modelsProperty().get().get(PathFamily.FLOW).name());
        List<CompareModel.Lane> lanes = m.lanesProperty().get();
        assertEquals(5, lanes.size());
        for (CompareModel.Lane lane : lanes) {
            assertEquals(4, lane.nfe(), lane.contender().name());
            assertArrayEquals(lanes.get(0).xT(), lane.xT(), lane.contender().name() + " starts from diffusion · ddim's x_T");
            for (float v : lane.images()) assertTrue(Float.isFinite(v), lane.contender().name());
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aFileThatIsNotACheckpointIsNamedAndTheModelStays() throws IOException {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        images.open(run);
        Path bad = Files.writeString(dir.resolve("bad.dpck"), "not a checkpoint");
        images.open(bad);
        assertEquals("mnist-flow", images.networkProperty().get().name());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("bad.dpck is not a Diffusion Playground checkpoint"), errors.get(0));
    }
}
