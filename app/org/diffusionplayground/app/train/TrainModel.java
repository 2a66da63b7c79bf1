package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.diffusionplayground.app.Failures;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.train.LossLog;
import org.diffusionplayground.model.train.RunFolder;
import org.diffusionplayground.model.train.TrainOutcome;
import org.diffusionplayground.model.train.Trainer;
import org.diffusionplayground.model.data.IdxReader;

/**
 * The Train page: a user trains the class-conditional U-Net on digits, or the DDiT transformer on
 * tiny Shakespeare as a masked or uniform diffusion language model, and watches it learn. The form's
 * settings become a {@link Trainer} in a background job (data loaded, folder checked), which then
 * runs on its own thread ({@link TrainRunner}); its reports reach the UI through a {@link TrainFeed} and land
 * in {@link TrainProgress}'s properties. Each checkpoint refreshes a preview, sampled as an app
 * job. Pause, resume and stop act between steps; stopping (and {@link #shutdown}) writes a
 * checkpoint, so a run is never lost.
 */
public final class TrainModel {

    public enum State { IDLE, PREPARING, RUNNING, PAUSED, STOPPING }

    /** How long the JVM's shutdown waits for a run's last step and checkpoint (a reference-model step takes ~1 s). */
    public static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    /** Asks the user a yes/no question (a dialog in the app); true = go ahead. */
    @FunctionalInterface
    public interface Confirm {
        boolean ask(String question);
    }

    private final Jobs jobs;
    private final ImageModel images;
    private final Executor ui;
    private final BiConsumer<String, Throwable> onError;
    private final TrainProgress progress;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper dataNote = new ReadOnlyStringWrapper(this, "dataNote", "");
    private final ObjectProperty<DatasetChoice> dataset = new SimpleObjectProperty<>(this, "dataset", DatasetChoice.BUNDLED);
    private final ObjectProperty<Path> dataFolder = new SimpleObjectProperty<>(this, "dataFolder");
    private final StringProperty preset = new SimpleStringProperty(this, "preset", "small");
    private final ObjectProperty<Parameterization> prediction = new SimpleObjectProperty<>(this, "prediction", Parameterization.V);
    private final ObjectProperty<TextProcessChoice> process = new SimpleObjectProperty<>(this, "process", TextProcessChoice.ABSORBING);
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 4000);
    private final IntegerProperty batch = new SimpleIntegerProperty(this, "batch", 64);
    private final StringProperty learningRate = new SimpleStringProperty(this, "learningRate", "1e-3");
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 42);
    private final IntegerProperty checkpointEvery = new SimpleIntegerProperty(this, "checkpointEvery", 200);
    private final StringProperty outDir = new SimpleStringProperty(this, "outDir", "");
    private final BooleanProperty autoOutDir = new SimpleBooleanProperty(this, "autoOutDir", true);
    private final ReadOnlyObjectWrapper<ResumePoint> resumeFrom = new ReadOnlyObjectWrapper<>(this, "resumeFrom");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyObjectWrapper<Path> runFolder = new ReadOnlyObjectWrapper<>(this, "runFolder");
    private final ReadOnlyBooleanWrapper modelReady = new ReadOnlyBooleanWrapper(this, "modelReady");
    private final ReadOnlyBooleanWrapper textRun = new ReadOnlyBooleanWrapper(this, "textRun");
    private final Consumer<Path> useText;
    private final ReadOnlyDoubleWrapper loading = new ReadOnlyDoubleWrapper(this, "loading");
    private AtomicBoolean preparing = new AtomicBoolean();
    private boolean settingOutDir;
    private TrainRunner run;
    private UNetConfig networkOverride;
    private int imageLimit;

    /** What the preparation job hands to the UI thread. */
    private record Prepared(Trainer trainer, LossLog log, LossHistory history) {
    }


    /** A Train page whose text runs have no Text page to go to (tests of the image runs). */
    public TrainModel(Jobs jobs, ImageModel images, Executor ui, BiConsumer<String, Throwable> onError) {
        this(jobs, images, file -> onError.accept("Using the text model", new IllegalStateException("no Text page")), ui, onError);
    }

    /**
     * @param images  the app's current image model, which "Use this model" replaces for an image run
     * @param useText opens a text run's model (a run folder) on the Text page: "Use this model" for a text run
     * @param ui      runs a task on the UI thread ({@code Platform::runLater}); reports from the training thread go through it
     */
    public TrainModel(Jobs jobs, ImageModel images, Consumer<Path> useText, Executor ui, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.images = images;
        this.useText = useText;
        this.ui = ui;
        this.onError = onError;
        this.progress = new TrainProgress(jobs, onError);
        // a ChangeListener, not an InvalidationListener: that one stays silent for every set after
        // the first until somebody reads the value, so a folder typed before any read was forgotten
        outDir.addListener((o, was, is) -> {
            if (!settingOutDir) autoOutDir.set(false);
        });
        dataset.addListener((o, was, is) -> {
            if (is != null && !is.presets().contains(preset.get())) preset.set("small"); // a preset of the other kind of network
            proposeOutDir();
        });
        preset.addListener(o -> proposeOutDir());
        process.addListener(o -> proposeOutDir());
        proposeOutDir();
    }

    // --- the form
    public ObjectProperty<DatasetChoice> datasetProperty() { return dataset; }
    /** The IDX folder for {@link DatasetChoice#needsFolder()} choices (set through {@link #chooseDataFolder}). */
    public ObjectProperty<Path> dataFolderProperty() { return dataFolder; }
    /** One of the dataset's {@link DatasetChoice#presets()}: "small" or "reference" ({@link UNetConfig#preset}); text "tiny", "small" or "base". */
    public StringProperty presetProperty() { return preset; }
    /** What an image network predicts. */
    public ObjectProperty<Parameterization> predictionProperty() { return prediction; }
    /** The forward process a text network is trained for. */
    public ObjectProperty<TextProcessChoice> processProperty() { return process; }
    public IntegerProperty stepsProperty() { return steps; }
    public IntegerProperty batchProperty() { return batch; }
    /** As typed, e.g. "1e-3"; parsed when the run starts. */
    public StringProperty learningRateProperty() { return learningRate; }
    public IntegerProperty seedProperty() { return seed; }
    public IntegerProperty checkpointEveryProperty() { return checkpointEvery; }
    /** The run folder for a new run; a fresh name under ~/DiffusionPlayground/runs until the user edits it. */
    public StringProperty outDirProperty() { return outDir; }
    public ReadOnlyBooleanProperty autoOutDirProperty() { return autoOutDir; }
    /** The run "Start" continues, or null for a new run. */
    public ReadOnlyObjectProperty<ResumePoint> resumeFromProperty() { return resumeFrom.getReadOnlyProperty(); }

    // --- the run
    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    /** The folder of the run in progress or the last one. */
    public ReadOnlyObjectProperty<Path> runFolderProperty() { return runFolder.getReadOnlyProperty(); }
    /** True once that folder holds a model file or checkpoint ("Use this model" can load it). */
    public ReadOnlyBooleanProperty modelReadyProperty() { return modelReady.getReadOnlyProperty(); }
    /** Whether the run shown is a text run ("Use this model" opens it on the Text page). */
    public ReadOnlyBooleanProperty textRunProperty() { return textRun.getReadOnlyProperty(); }
    /** What the run is doing, e.g. "paused (the step under way finishes first)". */
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    /** What the chosen IDX folder holds, e.g. "train split (train-images-idx3-ubyte.gz)". */
    public ReadOnlyStringProperty dataNoteProperty() { return dataNote.getReadOnlyProperty(); }
    /** While {@link State#PREPARING}: the fraction of the data's images read. */
    public ReadOnlyDoubleProperty loadingProperty() { return loading.getReadOnlyProperty(); }
        /** Read-outs, loss curves and preview. */
    public TrainProgress progress() { return progress; }

    /** Test hook: train this network (e.g. a tiny one) instead of the preset. */
    void overrideNetwork(UNetConfig net) { this.networkOverride = net; }

    /** Test hook: train on the first {@code n} images only (0 = all). */
    void limitImages(int n) { this.imageLimit = n; }

    // --- commands
    /** Uses {@code folder} as the IDX folder, checking at once that it holds a split. */
    public void chooseDataFolder(Path folder) {
        dataFolder.set(folder);
        try {
            dataNote.set(DatasetChoice.describeFolder(folder));
        } catch (IOException e) {
            dataNote.set(unusable(e)); // says why itself: the banner above may be dismissed
            onError.accept("Checking the dataset folder", e);
        }
    }

    /** Starts the run the form describes (or continues {@link #resumeFromProperty()}); asks before replacing a run. */
    public void start(Confirm confirm) {
        if (state.get() != State.IDLE) return;
        ResumePoint resume = resumeFrom.get();
        TrainSettings settings;
        boolean replace = false;
        try {
            settings = settings(resume);
            if (resume == null) {
                String conflict = RunFiles.conflict(settings.outDir());
                if (conflict != null) {
                    if (!confirm.ask(conflict)) return;
                    replace = true;
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            onError.accept("Starting the training run", e);
            return;
        }
        boolean replaceOld = replace;
        AtomicBoolean cancelled = new AtomicBoolean();
        preparing = cancelled;
        state.set(State.PREPARING);
        loading.set(0);
        status.set("loading the data and building the network…");
        jobs.run("Preparing the training run", report -> {
            try {
                return prepare(settings, resume, replaceOld, new IdxReader.Reading(report, cancelled::get));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, fraction -> {
            if (!cancelled.get()) loading.set(fraction);
        }, prepared -> {
            if (cancelled.get()) return; // Stop was pressed as the data finished loading
            launch(prepared);
        }, e -> {
            state.set(State.IDLE);
            if (cancelled.get()) {
                status.set("loading stopped; nothing was written");
                return;
            }
            status.set("");
            onError.accept("Starting the training run", e);
        });
    }

    private TrainSettings settings(ResumePoint resume) {
        if (resume == null && outDir.get().isBlank()) throw new IllegalArgumentException("choose an output folder");
        Path out = resume != null ? resume.folder() : RunFiles.expandHome(outDir.get().strip());
        NetworkConfig net = resume != null ? resume.net()
                : dataset.get().isText() ? TrainSettings.textPreset(preset.get(), process.get())
                : networkOverride != null ? networkOverride.withParameterization(prediction.get())
                : TrainSettings.preset(preset.get(), prediction.get());
        return new TrainSettings(dataset.get(), dataFolder.get(), net, steps.get(), batch.get(),
                TrainSettings.parseLearningRate(learningRate.get()), seed.get(), checkpointEvery.get(), out);
    }

    /**
     * Off the UI thread: folder, data, checkpoint (when resuming), trainer, loss log, history. A
     * replaced run's files are deleted last, once everything that can fail has worked.
     */
    private Prepared prepare(TrainSettings s, ResumePoint resume, boolean replace, IdxReader.Reading reading) throws IOException {
        TrainData data = s.dataset().data(s.dataFolder(), imageLimit, reading); // the long part, refused up front if too large
        if (reading.cancelled().getAsBoolean()) throw new CancellationException("loading cancelled");
        RunFiles.prepare(s.outDir());
        Trainer trainer;
        if (resume != null) {
            Checkpoint c = new RunFolder(s.outDir()).latest();
            trainer = Trainer.resume(c, data.objective(c.model()), s.outDir(), s.steps());
        } else {
            trainer = Trainer.fresh(s.net(), data.objective(s.net()), s.trainConfig(), s.outDir());
        }
        if (replace) RunFiles.clearRun(s.outDir());
        RunFiles.writeDataset(s.outDir(), s.dataset(), s.dataFolder());
        LossLog log = new LossLog(trainer.folder().lossLog(), trainer.step());
        return new Prepared(trainer, log, resume != null ? LossHistory.read(trainer.folder().lossLog(), trainer.step()) : new LossHistory());
    }

    /** On the UI thread: starts the prepared trainer on its own thread. */
    private void launch(Prepared p) {
        Trainer trainer = p.trainer();
        Path dir = trainer.folder().dir();
        if (!dir.equals(runFolder.get())) progress.clearPreview();
        textRun.set(TrainData.isText(trainer.network().config()));
        progress.show(p.history(), trainer.step(), trainer.config().steps(), RunFiles.newestCheckpoint(trainer.folder()), textRun.get());
        runFolder.set(dir);
        modelReady.set(RunFiles.holdsModel(trainer.folder()));
        resumeFrom.set(null);
        showOutDir(dir.toString()); // the form names the folder being written, a continued run's too
        TrainRunner[] self = new TrainRunner[1];
        run = self[0] = new TrainRunner(trainer, p.log(), ui, batch -> {
            if (run == self[0]) progress.accept(batch, trainer.isPaused() || state.get() == State.STOPPING, this::preview);
        }, (outcome, error) -> finished(self[0], outcome, error));
        state.set(State.RUNNING);
        status.set("training…");
    }

    private void preview(TrainFeed.Saved saved) {
        modelReady.set(true);
        progress.requestPreview(runFolder.get(), textRun.get());
    }

    private void finished(TrainRunner r, TrainOutcome outcome, Throwable error) {
        if (run != r) return;
        run = null;
        state.set(State.IDLE);
        progress.end();
        if (error != null) {
            status.set("training failed at step %,d".formatted(r.step()));
            onError.accept("Training", error);
        } else {
            status.set(switch (outcome.status()) {
                case COMPLETED -> "completed %,d steps".formatted(outcome.step());
                case STOPPED -> "stopped at step %,d; Start continues it".formatted(outcome.step());
                case DIVERGED -> "diverged at step %,d".formatted(outcome.step());
            });
            if (outcome.status() == TrainOutcome.Status.DIVERGED) onError.accept("Training", new Failures.Plain(outcome.message()));
            if (outcome.status() == TrainOutcome.Status.STOPPED) openRun(r.dir());
        }
        proposeOutDir();
    }

    public void pause() {
        if (state.get() != State.RUNNING) return;
        run.pause();
        state.set(State.PAUSED);
        // the step under way when Pause was pressed still finishes, so say "paused", not which step
        status.set("paused (the step under way finishes first)");
    }

    public void resume() {
        if (state.get() != State.PAUSED) return;
        run.resume();
        state.set(State.RUNNING);
        status.set("training…");
    }

    /**
     * Stops after the current step; the Trainer writes a checkpoint of it. While the data is still
     * loading it stops the loading instead, and nothing is written.
     */
    public void stop() {
        if (state.get() == State.PREPARING) {
            preparing.set(true);
            status.set("stopping the loading…");
            return;
        }
        if (state.get() != State.RUNNING && state.get() != State.PAUSED) return;
        state.set(State.STOPPING);
        status.set("stopping after the current step and writing a checkpoint…");
        run.stop();
    }

    /**
     * Makes the run's model the app's current image model (Reverse and Compare sample it), or for a
     * text run the Text page's model of its process: its model.dpck (EMA weights, refreshed at
     * every checkpoint), or its newest checkpoint's EMA weights.
     */
    public void useModel() {
        Path dir = runFolder.get();
        if (dir == null || !modelReady.get()) return;
        if (textRun.get()) {
            useText.accept(dir);
            status.set("the Text page now writes with %s".formatted(dir.getFileName()));
            return;
        }
        images.open(dir);
        status.set("Reverse and Compare now sample %s".formatted(dir.getFileName()));
    }

    /**
     * Chooses a run folder to continue: reads its newest checkpoint (off the UI thread), shows
     * its loss curve and settings; Start then continues it.
     */
    public void openRun(Path folder) {
        if (state.get() != State.IDLE) return;
        jobs.run("Opening the run " + folder.getFileName(), () -> ResumePoint.read(folder), this::applyResume,
                e -> onError.accept("Opening the run " + folder, e));
    }

    private void applyResume(ResumePoint r) {
        if (r.text()) dataset.set(DatasetChoice.SHAKESPEARE); // before the preset: the dataset picks the presets offered
        if (r.presetName() != null) preset.set(r.presetName());
        if (r.net() instanceof UNetConfig u) prediction.set(u.parameterization());
        if (r.net() instanceof TransformerConfig t) process.set(TextProcessChoice.of(t.process()));
        batch.set(r.train().batch());
        learningRate.set(String.format(Locale.ROOT, "%s", r.train().learningRate()));
        seed.set((int) r.train().seed());
        checkpointEvery.set(r.train().checkpointEvery());
        steps.set(r.suggestedSteps());
        if (r.note() != null && !r.text()) {
            dataset.set(r.note().dataset());
            if (r.note().folder() != null) {
                dataFolder.set(r.note().folder());
                try {
                    dataNote.set(DatasetChoice.describeFolder(r.note().folder()));
                } catch (IOException e) {
                    dataNote.set(unusable(e));
                }
            }
        }
        resumeFrom.set(r);
        boolean sameRun = r.folder().equals(runFolder.get())
                && (progress.previewProperty().get() != null || progress.sampleProperty().get() != null);
        RunFolder folder = new RunFolder(r.folder());
        runFolder.set(r.folder());
        modelReady.set(RunFiles.holdsModel(folder));
        textRun.set(r.text());
        progress.show(r.history(), r.step(), r.suggestedSteps(), RunFiles.newestCheckpoint(folder), r.text());
        if (!sameRun) {
            progress.clearPreview();
            if (modelReady.get()) progress.requestPreview(r.folder(), r.text());
        }
    }

    /**
     * Back to a new run: leaves a chosen resume point and clears what the page showed of the last
     * run (its loss curve, read-outs, preview, folder and status), which a new run would not continue.
     */
    public void newRun() {
        if (state.get() != State.IDLE) return;
        resumeFrom.set(null);
        runFolder.set(null);
        modelReady.set(false);
        textRun.set(false);
        status.set("");
        progress.reset();
        autoOutDir.set(true);
        proposeOutDir();
    }

    /** "not usable: " and why, with the folder's path left out (the form shows it beside the note). */
    private String unusable(IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Path folder = dataFolder.get();
        if (folder != null && why.startsWith(folder + ": ")) why = why.substring(folder.toString().length() + 2);
        return "not usable: " + why;
    }

    /** Stops a run in progress and waits (up to {@code wait}) for its checkpoint; for the app's shutdown. */
    public void shutdown(Duration wait) {
        if (run != null) run.stopAndWait(wait);
    }

    private void proposeOutDir() {
        if (!autoOutDir.get() || resumeFrom.get() != null || run != null) return;
        String model = dataset.get().isText() ? preset.get() + "-" + process.get().process() : preset.get();
        showOutDir(RunFiles.newRunFolder(RunFiles.runsRoot(), dataset.get(), model, LocalDateTime.now()).toString());
    }

    /** Sets the output folder without counting it as the user's choice. */
    private void showOutDir(String folder) {
        settingOutDir = true;
        try {
            outDir.set(folder);
        } finally {
            settingOutDir = false;
        }
    }

    /** For tests: the step the trainer has completed (0 without a run). */
    int trainerStep() { return run == null ? 0 : run.step(); }
}
