package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.junit.jupiter.api.BeforeAll;
import org.diffusionplayground.model.sampling.X0Clip;
import org.junit.jupiter.api.Test;

/**
 * The Reverse page's view-model, without the toolkit, on a fake 10-class model whose x̂0 is a
 * flat image of value (k − 4.5)/5 for label k (the null class 10 gives 1.1): under DDIM (η = 0)
 * the last step returns x̂0 exactly, so the final images are known in closed form.
 */
class ReverseModelTest {

    private final List<String> errors = new ArrayList<>();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static float level(int label) {
        return (label - 4.5f) / 5f;
    }

    static KnownX0Denoiser fakeDenoiser() {
        return new KnownX0Denoiser(k -> {
            float[] image = new float[784];
            Arrays.fill(image, level(k));
            return image;
        });
    }

    /** Serves the fake as the shipped model; {@code open} fails for a file named bad.dpck. */
    static Networks fakeNetworks(KnownX0Denoiser denoiser) {
        return new Networks() {
            @Override public Network shipped() { return new Network("fake (shipped)", denoiser, 1234, 5678); }

            @Override public Network open(Path p) throws IOException {
                if (p.getFileName().toString().equals("bad.dpck")) throw new CheckpointException(p + ": not a checkpoint (truncated header)");
                return new Network(p.getFileName().toString(), denoiser, 99, 5678);
            }
        };
    }

    private ImageModel images;

    private ReverseModel model(Jobs jobs, KnownX0Denoiser denoiser) {
        images = new ImageModel(jobs, fakeNetworks(denoiser), (what, e) -> errors.add(Failures.describe(what, e)));
        ReverseModel m = new ReverseModel(jobs, images, (what, e) -> errors.add(Failures.describe(what, e)));
        m.samplerProperty().set(SamplerKind.DDIM);
        m.stepsProperty().set(5);
        m.gridProperty().set(2);
        return m;
    }

    @Test
    void aRunRecordsStepsPlusOneFramesAndEndsOnTheGuidedX0() {
        KnownX0Denoiser fake = fakeDenoiser();
        ReverseModel m = model(new DirectJobs(), fake);
        m.start();
        Recording rec = m.recording();
        assertEquals(6, rec.frames(), "5 steps: x_T and 5 frames");
        assertTrue(rec.complete());
        assertEquals(5, m.lastFrameProperty().get());
        assertEquals(5, m.frameProperty().get(), "the timeline followed the run to its end");
        assertEquals("5", m.nfeTextProperty().get());
        assertEquals("5 / 5", m.stepTextProperty().get());
        assertTrue(m.statusProperty().get().startsWith("done: 5 steps, NFE 5"), m.statusProperty().get());
        // guided x̂0 = (1 − w)·x0_null + w·x0_k with w = 3, labels 0, 1, 2, 3 ("each")
        float[] last = m.xImagesProperty().get();
        for (int i = 0; i < 4; i++) {
            float want = -2 * level(10) + 3 * level(i);
            assertEquals(want, last[i * 784 + 400], 1e-4, "sample " + i);
        }
        assertSame(last, m.predX0ImagesProperty().get(), "the final frame's x̂0 is the final x");
        m.toStart();
        assertEquals(0, m.frameProperty().get());
        assertEquals("1.000", m.timeTextProperty().get(), "frame 0 is x_T at t = 1");
        assertTrue(m.predX0ImagesProperty().get() != null, "frame 0 shows the first step's x̂0");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void clippingTheX0SettingReachesTheSamplerAndRestartsTheRun() {
        ReverseModel m = model(new DirectJobs(), fakeDenoiser());
        m.start();
        float unclipped = m.xImagesProperty().get()[400]; // guided x̂0 of class 0: −2·1.1 + 3·(−0.9) = −4.9
        assertEquals(-4.9f, unclipped, 1e-4);
        m.clipProperty().set(X0Clip.STATIC);
        float[] last = m.xImagesProperty().get();
        for (int i = 0; i < 4; i++) assertEquals(-1f, last[i * 784 + 400], 1e-6, "sample " + i + " clipped to −1");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void guidanceSendsConditionalAndNullHalvesAsOneBatchOfTwiceTheImages() {
        KnownX0Denoiser fake = fakeDenoiser();
        ReverseModel m = model(new DirectJobs(), fake);
        m.start();
        List<int[]> calls = fake.calls();
        assertEquals(5, calls.size());
        for (int[] labels : calls) assertArrayEquals(new int[] {0, 1, 2, 3, 10, 10, 10, 10}, labels);

        int before = fake.calls().size();
        m.guidanceProperty().set(1);
        for (int[] labels : fake.calls().subList(before, fake.calls().size())) {
            assertArrayEquals(new int[] {0, 1, 2, 3}, labels, "w = 1: the conditional pass alone");
        }
        before = fake.calls().size();
        m.labelProperty().set(ReverseRun.UNCONDITIONAL);
        for (int[] labels : fake.calls().subList(before, fake.calls().size())) {
            assertArrayEquals(new int[] {10, 10, 10, 10}, labels, "unconditional: the null class, one pass");
        }
    }

    @Test
    void changingASettingMidRunCancelsItAndRestartsFromTheSameXT() {
        KnownX0Denoiser fake = fakeDenoiser();
        ReverseModel m = model(new DirectJobs(), fake);
        List<Recording> seen = new ArrayList<>();
        m.lastFrameProperty().addListener((o, was, is) -> {
            if (!seen.contains(m.recording())) seen.add(m.recording());
            // jobs run at once: this nested change happens while the first run is between steps
            if (is.intValue() == 2 && seen.size() == 1) m.guidanceProperty().set(5);
        });
        m.start();
        assertEquals(2, seen.size(), "one restart");
        Recording first = seen.get(0), second = seen.get(1);
        assertFalse(first.complete(), "the first run stopped when the setting changed");
        assertTrue(first.frames() <= 4, "…before its next step, not at its end: " + first.frames() + " frames");
        assertSame(second, m.recording());
        assertTrue(second.complete());
        assertArrayEquals(first.x(0), second.x(0), "same seed, same x_T");
        assertEquals(first.frames() - 1 + 5, fake.calls().size(), "no model call after the cancel");
        assertEquals(-4 * level(10) + 5 * level(0), m.xImagesProperty().get()[100], 1e-4, "the new run used w = 5");

        m.seedProperty().set(7);
        assertFalse(Arrays.equals(first.x(0), m.recording().x(0)), "a new seed is a new x_T");
    }

    @Test
    void runsQueuedBehindANewerOneDoNoWork() {
        KnownX0Denoiser fake = fakeDenoiser();
        QueuedJobs jobs = new QueuedJobs();
        ReverseModel m = model(jobs, fake);
        m.start();
        jobs.runAll(); // loads the model, then runs the first sampling (5 DDIM steps)
        assertEquals(5, fake.calls().size());
        m.stepsProperty().set(3);
        m.stepsProperty().set(4);
        m.samplerProperty().set(SamplerKind.EULER);
        assertEquals(3, jobs.queued.size(), "three runs queued");
        jobs.runAll();
        assertEquals(5 + 4, fake.calls().size(), "only the newest run (euler, 4 steps, 1 NFE each) called the model");
        assertEquals(5, m.recording().frames());
        assertFalse(m.samplingProperty().get());
    }

    @Test
    void aBadCheckpointKeepsThePreviousModelAndNamesTheFile() {
        ReverseModel m = model(new DirectJobs(), fakeDenoiser());
        m.start();
        Network shipped = m.networkProperty().get();
        images.open(Path.of("/tmp/runs/bad.dpck"));
        assertSame(shipped, m.networkProperty().get());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("bad.dpck") && errors.get(0).contains("truncated"), errors.get(0));
        assertTrue(m.recording().complete(), "the previous model's images are still there");

        images.open(Path.of("/tmp/runs/good"));
        assertNotSame(shipped, m.networkProperty().get());
        assertEquals("good · step 99 · 5,678 parameters", m.networkProperty().get().describe());
    }

    /** Holds jobs until {@link #runAll}, like a busy single-thread executor. */
    static final class QueuedJobs implements Jobs {
        final List<Runnable> queued = new ArrayList<>();

        @Override
        public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
            queued.add(() -> new DirectJobs().run(title, work, onSuccess, onFailure));
            return new Job() {
                @Override public void cancel() { }

                @Override public boolean isCancelled() { return false; }
            };
        }

        void runAll() {
            while (!queued.isEmpty()) queued.remove(0).run();
        }
    }

    /** The warm-up loads the shipped model, samples the default grid in the background a few times, and shows nothing. */
    @Test
    void theWarmUpSamplesTheDefaultGridOffThePageAndShowsNothing() throws InterruptedException {
        KnownX0Denoiser fake = fakeDenoiser();
        ReverseModel m = model(new DirectJobs(), fake);
        m.warmUp(() -> 0L); // no job ever submitted: every run goes through
        assertTrue(images.networkProperty().get() != null, "the shipped model was loaded for it");
        int want = 4 * 5; // WARM_UP_RUNS runs of 5 steps
        for (int wait = 0; wait < 200 && fake.calls().size() < want; wait++) Thread.sleep(50);
        Thread.sleep(200);
        assertEquals(want, fake.calls().size());
        for (int[] labels : fake.calls()) assertArrayEquals(new int[] {0, 1, 2, 3, 10, 10, 10, 10}, labels, "the page's own grid");
        assertEquals(null, m.recording(), "nothing reaches the page");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** A job submitted while the warm-up runs stops it before its next step. */
    @Test
    void anyJobStopsTheWarmUp() throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();
        KnownX0Denoiser fake = new KnownX0Denoiser((label, xt) -> {
            submitted.set(1); // a user's job arrives during the first step
            float[] image = new float[784];
            Arrays.fill(image, level(label));
            return image;
        });
        ReverseModel m = model(new DirectJobs(), fake);
        m.warmUp(submitted::get);
        for (int wait = 0; wait < 200 && fake.calls().isEmpty(); wait++) Thread.sleep(50);
        Thread.sleep(500);
        assertEquals(1, fake.calls().size(), "one step, then it stopped");
    }
}
