package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.eval.QualityBenchmark;
import org.diffusionplayground.viz.Curve;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Compare page's view-model on the fake known-x̂0 model of {@link ReverseModelTest}, jobs run at once. */
class CompareModelTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** The shared image model serving the fake as the shipped network; jobs run at once. */
    private static ImageModel images(KnownX0Denoiser fake) {
        return new ImageModel(new DirectJobs(), ReverseModelTest.fakeNetworks(fake), (what, e) -> { throw new AssertionError(what, e); });
    }

    @Test
    void fiveSamplersRunInOrderWithFilmstripsAndTheirOwnNfe() {
        KnownX0Denoiser fake = ReverseModelTest.fakeDenoiser();
        List<String> errors = new ArrayList<>();
        CompareModel m = new CompareModel(new DirectJobs(), images(fake), new ReadOnlyObjectWrapper<>(), (what, e) -> errors.add(what + ": " + e));
        m.stepsProperty().set(5);
        m.start(); // loads the network, which starts the comparison
        List<CompareModel.Lane> lanes = m.lanesProperty().get();
        assertEquals(CompareModel.SAMPLERS, lanes.stream().map(CompareModel.Lane::sampler).toList());
        assertFalse(m.computingProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
        for (CompareModel.Lane lane : lanes) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, lane.filmFrames());
            assertEquals(4 * CompareModel.FILM * 784, lane.filmstrip().length);
            // the last column of image i's row is its final image
            int tile = 784;
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(Arrays.copyOfRange(lane.images(), i * tile, (i + 1) * tile),
                        Arrays.copyOfRange(lane.filmstrip(), (i * 6 + 5) * tile, (i * 6 + 6) * tile), lane.sampler() + " image " + i);
            }
        }
        CompareModel.Lane ddim = lanes.get(1), euler = lanes.get(3), heun = lanes.get(4);
        assertEquals(5, ddim.nfe());
        assertEquals(5, euler.nfe());
        assertTrue(heun.nfe() > euler.nfe(), "Heun's corrector costs a second evaluation per step: " + heun.nfe());
        // DDIM (η = 0) ends on the guided x̂0: (1 − 3)·x0_null + 3·x0_k, labels 0, 1, 2, 3
        for (int i = 0; i < 4; i++) {
            assertEquals(-2 * ReverseModelTest.level(10) + 3 * ReverseModelTest.level(i), ddim.images()[i * 784 + 300], 1e-4);
        }
        assertEquals(SamplerKind.DDPM, lanes.get(0).sampler());
    }

    @Test
    void fidLiteAgainstNfeHasACurvePerSamplerAndTheRealFloorAndIsDroppedWhenGuidanceChanges() throws java.io.IOException {
        List<String> errors = new ArrayList<>();
        CompareModel m = new CompareModel(new DirectJobs(), images(ReverseModelTest.fakeDenoiser()),
                new ReadOnlyObjectWrapper<>(MnistDataset.bundled()), (what, e) -> errors.add(what + ": " + e));
        m.stepsProperty().set(2);
        m.start();
        m.computeQuality(20);
        assertTrue(errors.isEmpty(), errors.toString());
        List<Curve> curves = m.quality().curvesProperty().get();
        assertEquals(List.of("ddpm", "ddim", "dpm-solver++", "euler", "heun", "real vs real"), curves.stream().map(Curve::name).toList());
        assertArrayEquals(new double[] {5, 10, 20}, curves.get(1).x(), "ddim: one evaluation per step");
        assertTrue(curves.get(4).x()[0] > 5, "heun spends more than one per step");
        // the fake draws every digit of class k as one flat image: far from real digits
        for (Curve c : curves.subList(0, 5)) for (double fid : c.y()) assertTrue(fid > curves.get(5).y()[0], c.name() + " " + fid);
        assertFalse(m.quality().computingProperty().get());
        // every value comes with its bootstrap spread, the floor too
        var legend = m.quality().legendProperty().get();
        assertEquals(6, legend.size());
        for (var e : legend) assertTrue(e.text().matches("\\d+\\.\\d ± \\d+\\.\\d( at NFE \\d+)?"), e.name() + ": " + e.text());
        assertTrue(m.quality().noteProperty().get().startsWith("± is the spread of FID-lite when the 20 generated"),
                m.quality().noteProperty().get());
        // FID-lite depends on neither the step count nor the class: they keep it
        m.stepsProperty().set(3);
        m.labelProperty().set(4);
        assertSame(curves, m.quality().curvesProperty().get(), "a step or class change keeps FID-lite");
        m.guidanceProperty().set(1);
        assertTrue(m.quality().curvesProperty().get().isEmpty(), "curves of another guidance are dropped");
    }

    @Test
    void theNoteSaysWhichSamplersTheMeasurementCannotRank() {
        // FID-lite at 20 steps, as on the 100-digit run: dpm-solver++ within its spread of ddim, heun not
        var rows = List.of(row(SamplerKind.DDIM, 20, 38.0, 2.0), row(SamplerKind.DPM_SOLVER_PP, 20, 39.5, 2.5),
                row(SamplerKind.HEUN, 20, 52.0, 2.0), row(SamplerKind.DDIM, 5, 60.0, 3.0));
        String note = org.diffusionplayground.app.compare.Quality.note(rows, 100);
        assertTrue(note.endsWith("At 20 steps dpm-solver++ cannot be told apart from ddim."), note);
        assertEquals("At 20 steps dpm-solver++ cannot be told apart from ddim.",
                org.diffusionplayground.app.compare.Quality.verdict(rows));
    }

    private static QualityBenchmark.Row row(SamplerKind kind, int steps, double fid, double spread) {
        return new QualityBenchmark.Row(new QualityBenchmark.Case(kind, steps, 3), steps, fid, 1, 1, spread);
    }

    @Test
    void aSettingChangeMidComparisonCancelsItAndStartsAgain() {
        KnownX0Denoiser fake = ReverseModelTest.fakeDenoiser();
        CompareModel m = new CompareModel(new DirectJobs(), images(fake), new ReadOnlyObjectWrapper<>(), (w, e) -> { });
        m.stepsProperty().set(4);
        List<Integer> seen = new ArrayList<>();
        m.lanesProperty().addListener((o, was, is) -> {
            seen.add(is.size());
            if (is.size() == 2 && m.stepsProperty().get() == 4) m.stepsProperty().set(3); // while lane 3 waits
        });
        m.start();
        List<CompareModel.Lane> lanes = m.lanesProperty().get();
        assertEquals(5, lanes.size());
        assertTrue(lanes.stream().allMatch(l -> l.filmFrames()[5] == 3), "every lane is from the 3-step run");
        assertTrue(seen.contains(2), seen.toString());
    }
}
