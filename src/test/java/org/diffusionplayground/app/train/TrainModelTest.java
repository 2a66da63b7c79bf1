package org.diffusionplayground.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.app.DirectJobs;
import org.diffusionplayground.app.Failures;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.model.train.TrainStep;
import org.diffusionplayground.viz.Curve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Train page's view-model and helpers without the JavaFX toolkit (no run is started here). */
class TrainModelTest {

    @TempDir Path dir;
    private final DirectJobs jobs = new DirectJobs();
    private final List<String> errors = new ArrayList<>();

    private TrainModel model() {
        ImageModel images = new ImageModel(jobs, Networks.files(), (what, e) -> errors.add(Failures.describe(what, e)));
        return new TrainModel(jobs, images, Runnable::run, (what, e) -> errors.add(Failures.describe(what, e)));
    }

    @Test
    void newRunsGoToATimestampedFolderUnderTheHomeFolderUntilTheUserChoosesOne() {
        TrainModel m = model();
        String root = RunFiles.runsRoot().toString();
        assertTrue(root.startsWith(System.getProperty("user.home")), root);
        assertTrue(m.outDirProperty().get().matches(java.util.regex.Pattern.quote(root) + "/mnist-small-\\d{8}-\\d{6}"),
                m.outDirProperty().get());
        m.presetProperty().set("reference");
        m.datasetProperty().set(DatasetChoice.FASHION_FOLDER);
        assertTrue(m.outDirProperty().get().contains("/fashion-reference-"), m.outDirProperty().get());
        m.outDirProperty().set(dir.toString());
        assertFalse(m.autoOutDirProperty().get());
        m.presetProperty().set("small");
        assertEquals(dir.toString(), m.outDirProperty().get(), "a chosen folder is kept");
        assertEquals(Path.of(System.getProperty("user.home"), "runs", "a"), RunFiles.expandHome("~/runs/a"));
        assertEquals(Path.of("/x/~/y"), RunFiles.expandHome("/x/~/y"));
    }

    @Test
    void aFolderSetBeforeAnythingReadTheFormIsKeptWhenTheDatasetChanges() {
        TrainModel m = model();
        m.outDirProperty().set(dir.resolve("mine").toString()); // nothing has read the property yet
        m.datasetProperty().set(DatasetChoice.FASHION_FOLDER);
        assertEquals(dir.resolve("mine").toString(), m.outDirProperty().get());
        assertFalse(m.autoOutDirProperty().get());
    }

    @Test
    void startingOverAnExistingRunAsksFirstAndCancellingLeavesItAlone() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.write(run.resolve("ckpt-0000400.dpck"), new byte[] {1});
        Files.write(run.resolve("notes.txt"), new byte[] {2});
        TrainModel m = model();
        m.outDirProperty().set(run.toString());
        List<String> asked = new ArrayList<>();
        m.start(q -> asked.add(q) && false);
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).startsWith(run + " already holds a run with checkpoints up to step 400."), asked.get(0));
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        assertTrue(jobs.titles.isEmpty(), "nothing was started");
        assertTrue(Files.exists(run.resolve("ckpt-0000400.dpck")));

        Path idx = Files.createDirectory(dir.resolve("truncated-idx")); // a run that cannot start: its data is cut short
        Files.write(idx.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
        Files.write(idx.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0});
        m.datasetProperty().set(DatasetChoice.MNIST_FOLDER);
        m.dataFolderProperty().set(idx);
        m.start(q -> true);
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        assertTrue(errors.size() == 1 && errors.get(0).contains("truncated-idx"), errors.toString());
        assertTrue(Files.exists(run.resolve("ckpt-0000400.dpck")), "answering Replace for a run that then fails to start deletes nothing");

        RunFiles.clearRun(run); // what "Replace" does once the new run is ready
        assertFalse(Files.exists(run.resolve("ckpt-0000400.dpck")));
        assertTrue(Files.exists(run.resolve("notes.txt")), "only the run's own files are deleted");
        assertNull(RunFiles.conflict(run));
    }

    /** An IDX folder of {@code count} 28×28 images promised by the header and {@code body} of them present. */
    private Path idxFolder(String name, int count, int body) throws java.io.IOException {
        Path folder = Files.createDirectory(dir.resolve(name));
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(folder.resolve("train-images-idx3-ubyte")))) {
            for (int v : new int[] {2051, count, 28, 28}) o.writeInt(v);
            o.write(new byte[body * 784]);
        }
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(folder.resolve("train-labels-idx1-ubyte")))) {
            for (int v : new int[] {2049, body}) o.writeInt(v);
            o.write(new byte[body]);
        }
        return folder;
    }

    @Test
    void aDataSetTooLargeToTrainOnIsRefusedUpFrontNamingTheFileAndTheMemory() throws Exception {
        TrainModel m = model();
        m.outDirProperty().set(dir.resolve("run").toString());
        m.datasetProperty().set(DatasetChoice.MNIST_FOLDER);
        m.chooseDataFolder(idxFolder("huge", 100_000_000, 0));
        m.start(q -> true);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("Starting the training run failed: " + dir.resolve("huge").resolve("train-images-idx3-ubyte")
                + ": 100,000,000 images of 28×28 need 365.1 GB of Java heap to train on (5 bytes a pixel)"), errors.get(0));
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        assertFalse(Files.exists(dir.resolve("run")), "nothing was written");
    }

    @Test
    void stopWhileTheDataLoadsStopsTheLoadingAndWritesNothing() throws Exception {
        List<Runnable> waiting = new ArrayList<>();
        org.diffusionplayground.app.Jobs later = new org.diffusionplayground.app.Jobs() { // runs a job when the test says
            @Override public <T> Job run(String title, java.util.concurrent.Callable<T> work, java.util.function.Consumer<? super T> ok,
                                         java.util.function.Consumer<? super Throwable> failed) {
                waiting.add(() -> {
                    try {
                        ok.accept(work.call());
                    } catch (Throwable e) {
                        failed.accept(e);
                    }
                });
                return null;
            }
        };
        TrainModel m = new TrainModel(later, new ImageModel(jobs, Networks.files(), (w, e) -> errors.add(w)), Runnable::run,
                (what, e) -> errors.add(Failures.describe(what, e)));
        m.outDirProperty().set(dir.resolve("run").toString());
        m.datasetProperty().set(DatasetChoice.MNIST_FOLDER);
        m.chooseDataFolder(idxFolder("mnist", 3000, 3000));
        m.start(q -> true);
        assertEquals(TrainModel.State.PREPARING, m.stateProperty().get());
        m.stop(); // Stop is enabled while the data loads
        waiting.forEach(Runnable::run);
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        assertEquals("loading stopped; nothing was written", m.statusProperty().get());
        assertTrue(errors.isEmpty(), errors.toString());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void badSettingsAreReportedBeforeAnythingStarts() {
        TrainModel m = model();
        m.outDirProperty().set(dir.resolve("x").toString());
        m.learningRateProperty().set("fast");
        m.start(q -> true);
        assertEquals(List.of("Starting the training run failed: learning rate \"fast\" is not a number (e.g. 1e-3)"), errors);
        m.learningRateProperty().set("0.5");
        m.start(q -> true);
        assertEquals("Starting the training run failed: learning rate (0.5) must be in [1e-7, 0.1]", errors.get(1));
        m.learningRateProperty().set("1e-3");
        m.datasetProperty().set(DatasetChoice.MNIST_FOLDER);
        m.start(q -> true);
        assertEquals("Starting the training run failed: MNIST needs its IDX folder: choose one", errors.get(2));
        assertTrue(jobs.titles.isEmpty());
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        m.shutdown(Duration.ofSeconds(1)); // nothing to stop
    }

    @Test
    void tinyShakespeareOffersTheTextPresetsAndProcessesAndNamesTheFolderByBoth() {
        TrainModel m = model();
        m.presetProperty().set("reference");
        m.datasetProperty().set(DatasetChoice.SHAKESPEARE);
        assertEquals(List.of("tiny", "small", "base"), m.datasetProperty().get().presets());
        assertEquals("small", m.presetProperty().get(), "a U-Net preset gives way to the text default");
        assertTrue(m.outDirProperty().get().contains("/shakespeare-small-absorbing-"), m.outDirProperty().get());
        m.processProperty().set(TextProcessChoice.UNIFORM);
        m.presetProperty().set("base");
        assertTrue(m.outDirProperty().get().contains("/shakespeare-base-uniform-"), m.outDirProperty().get());
        m.processProperty().set(TextProcessChoice.AUTOREGRESSIVE);
        assertTrue(m.outDirProperty().get().contains("/shakespeare-base-autoregressive-"), m.outDirProperty().get());
        assertEquals("autoregressive", TrainSettings.textPreset("tiny", TextProcessChoice.AUTOREGRESSIVE).process());
        m.datasetProperty().set(DatasetChoice.BUNDLED);
        assertEquals("small", m.presetProperty().get(), "and back");
        assertFalse(DatasetChoice.SHAKESPEARE.needsFolder());
    }

    @Test
    void aTextRunsSettingsAreCheckedBeforeAnythingStarts() {
        TrainModel m = model();
        m.datasetProperty().set(DatasetChoice.SHAKESPEARE);
        m.outDirProperty().set(dir.resolve("text").toString());
        m.presetProperty().set("huge");
        m.start(q -> true);
        assertEquals(List.of("Starting the training run failed: unknown transformer preset 'huge' (known: tiny, small, base)"), errors);
        m.presetProperty().set("tiny");
        m.batchProperty().set(5000);
        m.start(q -> true);
        assertEquals("Starting the training run failed: batch (5000) must be in [1, 1024]", errors.get(1));
        assertTrue(jobs.titles.isEmpty());
        assertEquals(TrainModel.State.IDLE, m.stateProperty().get());
        TrainSettings text = new TrainSettings(DatasetChoice.SHAKESPEARE, null, TrainSettings.textPreset("tiny", TextProcessChoice.UNIFORM),
                10, 8, 1e-3, 1, 5, dir);
        assertEquals(0.0, text.trainConfig().labelDropout(), "no labels to drop in text");
        assertEquals("uniform", ((org.diffusionplayground.model.nn.transformer.TransformerConfig) text.net()).process());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new TrainSettings(DatasetChoice.BUNDLED,
                null, text.net(), 10, 8, 1e-3, 1, 5, dir));
        assertEquals("a ddit network does not train on MNIST subset (bundled, 9k)", e.getMessage());
    }

    @Test
    void theSmoothedCurveIsABiasCorrectedMovingAverage() {
        LossHistory h = new LossHistory();
        h.add(1, 1.0);
        assertEquals(1.0, h.smoothedLast(), 1e-12, "bias correction: the first point is itself");
        h.add(2, 0.0);
        // s2 = (β(1−β)·1 + (1−β)·0) / (1 − β²) = β / (1 + β), β = 0.95
        assertEquals(0.95 / 1.95, h.smoothedLast(), 1e-12);
        LossHistory flat = new LossHistory();
        for (int i = 1; i <= 4000; i++) flat.add(i, 0.25);
        assertEquals(0.25, flat.smoothedLast(), 1e-12);
        List<Curve> curves = flat.curves();
        assertEquals(1334, curves.get(1).x().length, "4000 points drawn with every 3rd");
        assertEquals(4000, curves.get(1).x()[1333], "the newest point is always drawn");
    }

    @Test
    void aResumedHistoryReadsTheLossLogUpToTheCheckpoint() throws Exception {
        Path csv = dir.resolve("loss.csv");
        Files.writeString(csv, "step,loss,lr,images_per_sec,unix_ms\n1,0.9,1e-3,200,0\n2,0.5,1e-3,200,0\n3,0.4,1e-3,200,0\n4,0.3");
        LossHistory h = LossHistory.read(csv, 2);
        assertEquals(2, h.size());
        assertEquals(2, h.lastStep());
        assertEquals(0.5, h.curves().get(1).y()[1]);
        assertEquals(0.5, h.last(), "a resumed run shows its last loss");
        assertEquals(0, LossHistory.read(dir.resolve("none.csv"), 10).size());
        assertTrue(Double.isNaN(LossHistory.read(dir.resolve("none.csv"), 10).last()));
    }

    @Test
    void theFeedPostsOnceUntilTheUiThreadTakesEverythingQueued() {
        List<Runnable> posted = new ArrayList<>();
        List<TrainFeed.Batch> batches = new ArrayList<>();
        TrainFeed feed = new TrainFeed(posted::add, batches::add);
        for (int i = 1; i <= 5; i++) feed.onStep(new TrainStep(i, 10, 1.0 / i, 1e-3, 100, Duration.ZERO));
        feed.onCheckpoint(5, dir.resolve("ckpt-0000005.dpck"));
        assertEquals(1, posted.size(), "one delivery for six reports");
        posted.get(0).run();
        assertEquals(1, batches.size());
        assertEquals(5, batches.get(0).steps().size());
        assertEquals(5, batches.get(0).checkpoints().get(0).step());
        feed.onStep(new TrainStep(6, 10, 0.1, 1e-3, 100, Duration.ZERO));
        assertEquals(2, posted.size(), "a new delivery once the last was taken");
    }

    @Test
    void durationsReadAsHoursMinutesSeconds() {
        assertEquals("45 s", TrainProgress.duration(Duration.ofSeconds(45)));
        assertEquals("12 min 05 s", TrainProgress.duration(Duration.ofSeconds(725)));
        assertEquals("1 h 02 min", TrainProgress.duration(Duration.ofMinutes(62)));
    }
}
