package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app's one current image model, observed by the Reverse and Compare pages: whichever page
 * loads it, both sample the same network; a new checkpoint restarts both; a bad file is reported
 * once and leaves both on the previous network. Uses the fake of {@link ReverseModelTest}.
 */
class ImageModelTest {

    private final List<String> errors = new ArrayList<>();
    private final KnownX0Denoiser fake = ReverseModelTest.fakeDenoiser();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private ImageModel images(Jobs jobs) {
        return new ImageModel(jobs, ReverseModelTest.fakeNetworks(fake), (what, e) -> errors.add(Failures.describe(what, e)));
    }

    private static ReverseModel reverse(Jobs jobs, ImageModel images) {
        ReverseModel m = new ReverseModel(jobs, images, (what, e) -> { throw new AssertionError(what, e); });
        m.samplerProperty().set(SamplerKind.DDIM);
        m.stepsProperty().set(3);
        m.gridProperty().set(1);
        return m;
    }

    private static CompareModel compare(Jobs jobs, ImageModel images) {
        CompareModel m = new CompareModel(jobs, images, new ReadOnlyObjectWrapper<>(), (what, e) -> { throw new AssertionError(what, e); });
        m.stepsProperty().set(2);
        return m;
    }

    @Test
    void theComparePageLoadsTheShippedModelOnceAndTheReversePageSamplesItWhenOpened() {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        ReverseModel reverse = reverse(jobs, images);
        CompareModel compare = compare(jobs, images);
        compare.start();
        assertEquals("fake (shipped)", images.networkProperty().get().name());
        assertSame(images.networkProperty().get(), compare.networkProperty().get());
        assertEquals(CompareModel.SAMPLERS.size(), compare.lanesProperty().get().size());
        assertNull(reverse.recording(), "the Reverse page samples only once opened");

        reverse.start();
        assertSame(images.networkProperty().get(), reverse.networkProperty().get());
        assertTrue(reverse.recording().complete());
        assertEquals(1, jobs.titles.stream().filter(t -> t.startsWith("Loading")).count(), "one load: " + jobs.titles);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aCheckpointOpenedOnceRestartsBothPagesOnIt() {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        ReverseModel reverse = reverse(jobs, images);
        CompareModel compare = compare(jobs, images);
        reverse.start();
        compare.start();
        var firstRun = reverse.recording();
        var firstLanes = compare.lanesProperty().get();

        images.open(Path.of("/tmp/runs/good"));
        Network good = images.networkProperty().get();
        assertEquals("good · step 99 · 5,678 parameters", good.describe());
        assertSame(good, reverse.networkProperty().get());
        assertSame(good, compare.networkProperty().get());
        assertTrue(reverse.recording() != firstRun && reverse.recording().complete(), "the Reverse page sampled the new network");
        assertTrue(compare.lanesProperty().get() != firstLanes && compare.lanesProperty().get().size() == 5,
                "the Compare page ran again on the new network");
    }

    @Test
    void aBadFileIsReportedOnceNamingItAndBothPagesKeepThePreviousNetwork() {
        DirectJobs jobs = new DirectJobs();
        ImageModel images = images(jobs);
        ReverseModel reverse = reverse(jobs, images);
        CompareModel compare = compare(jobs, images);
        reverse.start();
        compare.start();
        Network shipped = images.networkProperty().get();
        var lanes = compare.lanesProperty().get();

        images.open(Path.of("/tmp/runs/bad.dpck"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("bad.dpck") && errors.get(0).contains("truncated"), errors.get(0));
        assertSame(shipped, reverse.networkProperty().get());
        assertSame(shipped, compare.networkProperty().get());
        assertSame(lanes, compare.lanesProperty().get(), "the comparison stays");
        assertTrue(reverse.recording().complete());
        assertTrue(reverse.statusProperty().get().startsWith("done: 3 steps"), reverse.statusProperty().get());
        assertFalse(images.loadingProperty().get());
    }

    @Test
    void loadingShowsUntilTheLastQueuedLoadEndsAndPausesTheReverseRun() {
        ReverseModelTest.QueuedJobs jobs = new ReverseModelTest.QueuedJobs();
        ImageModel images = images(jobs);
        ReverseModel reverse = reverse(jobs, images);
        reverse.start();
        assertTrue(images.loadingProperty().get());
        assertEquals("loading model…", reverse.statusProperty().get());
        images.open(Path.of("/tmp/runs/good")); // a second pick while the shipped model loads
        jobs.queued.remove(0).run(); // the shipped model arrives
        assertEquals("fake (shipped)", images.networkProperty().get().name());
        assertTrue(images.loadingProperty().get(), "the second load is still queued");
        assertNull(reverse.recording(), "no sampling of a network about to be replaced");
        jobs.runAll();
        assertFalse(images.loadingProperty().get());
        assertEquals("good", reverse.networkProperty().get().name());
        assertTrue(reverse.recording().complete());
        assertEquals(3, fake.calls().size(), "one 3-step DDIM run, on the second network");
    }
}
