package org.diffusionplayground.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.app.compare.CompareModel;
import org.diffusionplayground.app.export.Exporter;
import org.diffusionplayground.app.forward.ForwardModel;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.app.reverse.ReverseModel;
import org.diffusionplayground.app.scenario.Lesson;
import org.diffusionplayground.app.schedules.SchedulesModel;
import org.diffusionplayground.app.train.TrainModel;
import org.diffusionplayground.app.text.TextNetworks;
import org.diffusionplayground.app.text.TextPageModel;
import org.diffusionplayground.model.data.HeapCheck;
import org.diffusionplayground.model.data.IdxReader;
import org.diffusionplayground.model.data.MnistDataset;

/**
 * The app's root view-model: which page is shown, theme and presentation mode, the dataset, the
 * backend line of the status bar, the job in progress and the last error. Owns the page models
 * and the current image model they share.
 */
public final class AppModel {

    static final String BACKEND_LOADING = "Loading ND4J…";

    private final Jobs jobs;
    private final Supplier<String> backendProbe;
    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(this, "page", Page.FORWARD);
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private final BooleanProperty presentation = new SimpleBooleanProperty(this, "presentation");
    private final ReadOnlyStringWrapper backend = new ReadOnlyStringWrapper(this, "backend", BACKEND_LOADING);
    private final ReadOnlyStringWrapper busy = new ReadOnlyStringWrapper(this, "busy", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ObjectProperty<Lesson> lesson = new SimpleObjectProperty<>(this, "lesson");
    private final ReadOnlyObjectWrapper<MnistDataset> dataset = new ReadOnlyObjectWrapper<>(this, "dataset");
    private final ForwardModel forward = new ForwardModel(2021);
    private final SchedulesModel schedules = new SchedulesModel();
    private final LabModel lab;
    private final ImageModel images;
    private final ReverseModel reverse;
    private final CompareModel compare;
    private final TrainModel train;
    private final Exporter exporter;
    private final TextPageModel text;
    private int running;
    private final ReadOnlyStringWrapper datasetLoading = new ReadOnlyStringWrapper(this, "datasetLoading", "");
    private final ReadOnlyDoubleWrapper datasetProgress = new ReadOnlyDoubleWrapper(this, "datasetProgress");
    private AtomicBoolean loadCancel = new AtomicBoolean();

    /**
     * @param jobs         where long work runs
     * @param backendProbe loads ND4J and describes it (e.g. {@code Backend::summary}); runs as a job
     */
    public AppModel(Jobs jobs, Supplier<String> backendProbe) {
        this(jobs, backendProbe, Networks.files());
    }

    /**
     * @param networks where the image model comes from (tests pass a fast fake)
     */
    public AppModel(Jobs jobs, Supplier<String> backendProbe, Networks networks) {
        this(jobs, backendProbe, networks, TextNetworks.files());
    }

    /**
     * @param textNetworks where the text page's models come from (tests pass a small fake)
     */
    public AppModel(Jobs jobs, Supplier<String> backendProbe, Networks networks, TextNetworks textNetworks) {
        this.jobs = jobs;
        this.backendProbe = backendProbe;
        this.lab = new LabModel(tracked(), this::reportError); // tracked(): progress reports reach the UI thread
        this.images = new ImageModel(tracked(), networks, this::reportError);
        this.reverse = new ReverseModel(tracked(), images, this::reportError);
        this.compare = new CompareModel(tracked(), images, dataset, this::reportError);
        this.text = new TextPageModel(tracked(), textNetworks, this::reportError);
        this.train = new TrainModel(tracked(), images, text::use, Platform::runLater, this::reportError);
        this.exporter = new Exporter(tracked(), this::reportError);
        forward.datasetProperty().bind(dataset);
    }

    public ObjectProperty<Page> pageProperty() { return page; }
    public BooleanProperty darkProperty() { return dark; }
    public BooleanProperty presentationProperty() { return presentation; }
    /** Backend summary for the status bar ("Loading ND4J…" until known). */
    public ReadOnlyStringProperty backendProperty() { return backend.getReadOnlyProperty(); }
    /** Title of the job in progress, "" when idle. */
    public ReadOnlyStringProperty busyProperty() { return busy.getReadOnlyProperty(); }
    /** The last failure as one sentence, "" when none. */
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    /** The lesson note shown above the page (a scenario with a title or note), null when none. */
    public ObjectProperty<Lesson> lessonProperty() { return lesson; }
    public ReadOnlyObjectProperty<MnistDataset> datasetProperty() { return dataset.getReadOnlyProperty(); }
    public ForwardModel forward() { return forward; }
    public SchedulesModel schedules() { return schedules; }
    public LabModel lab() { return lab; }
    /** The image model the Reverse and Compare pages sample (the shipped one or a chosen checkpoint). */
    public ImageModel images() { return images; }
    public ReverseModel reverse() { return reverse; }
    public CompareModel compare() { return compare; }
    /** The Train page; its runs report from their own thread through {@code Platform.runLater}. */
    public TrainModel train() { return train; }
    /** The Text page: masked and uniform discrete diffusion on tiny Shakespeare. */
    public TextPageModel text() { return text; }

    /** Writes PNGs and animations of what the pages show. */
    public Exporter exporter() { return exporter; }

    /** The timeline the keyboard drives on the current page, if it has one. */
    public Optional<Playback> playback() {
        return switch (page.get()) {
            case FORWARD -> Optional.of(forward);
            case REVERSE -> Optional.of(reverse);
            case LAB -> Optional.of(lab);
            case TEXT -> Optional.of(text);
            case SCHEDULES, COMPARE, TRAIN -> Optional.empty();
        };
    }

    /** Loads the bundled dataset, then ND4J in the background (the window is already up). */
    public void start() {
        submit("Loading MNIST subset", MnistDataset::bundled, dataset::set,
                e -> reportError("Loading the bundled MNIST subset", e));
        submit("Loading ND4J", backendProbe::get, backend::set, e -> {
            backend.set("ND4J unavailable");
            reportError("Loading ND4J", e);
        });
    }

    /**
     * Replaces the dataset by the MNIST / Fashion-MNIST IDX files in {@code folder}, in the
     * background with progress ({@link #datasetLoadingProperty()}); a set the heap cannot hold is
     * refused from its header before it is read, naming the file and the memory it needs;
     * {@link #cancelDatasetLoading()} stops it and keeps the dataset shown.
     */
    public void openDataset(Path folder) {
        cancelDatasetLoading();
        AtomicBoolean cancelled = new AtomicBoolean();
        loadCancel = cancelled;
        datasetLoading.set("Loading " + folder.getFileName() + "…");
        datasetProgress.set(0);
        tracked().run("Loading " + folder.getFileName(), report -> {
            try {
                return MnistDataset.fromFolder(folder, HeapCheck.TO_SHOW, new IdxReader.Reading(report, cancelled::get));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, fraction -> {
            if (!cancelled.get()) datasetProgress.set(fraction);
        }, loaded -> {
            if (cancelled.get()) return;
            datasetLoading.set("");
            dataset.set(loaded);
        }, e -> {
            if (cancelled.get()) return;
            datasetLoading.set("");
            reportError("Loading the dataset in " + folder, e);
        });
    }

    /** What is being loaded ("Loading fashion-mnist…"), "" when nothing is. */
    public ReadOnlyStringProperty datasetLoadingProperty() { return datasetLoading.getReadOnlyProperty(); }

    /** The fraction of the images read so far. */
    public ReadOnlyDoubleProperty datasetProgressProperty() { return datasetProgress.getReadOnlyProperty(); }

    /** Stops loading a dataset (between two megabytes of it); the one shown stays. */
    public void cancelDatasetLoading() {
        loadCancel.set(true);
        datasetLoading.set("");
    }

    public void toggleDark() { dark.set(!dark.get()); }

    public void togglePresentation() { presentation.set(!presentation.get()); }

    public void dismissError() { error.set(""); }

    /** Shows a failure that happened outside a job (e.g. an uncaught exception). */
    public void reportError(String what, Throwable e) {
        error.set(Failures.describe(what, e));
    }

    /** {@link #jobs} with every job's title in the status bar while it runs, progress reports included. */
    private Jobs tracked() {
        return new Jobs() {
            @Override public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess,
                                         Consumer<? super Throwable> onFailure) {
                return submit(title, work, onSuccess, onFailure);
            }

            @Override public <T> Job run(String title, Function<DoubleConsumer, T> work, DoubleConsumer onProgress,
                                         Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
                begin(title);
                return jobs.run(title, work, onProgress, value -> {
                    done();
                    onSuccess.accept(value);
                }, e -> {
                    done();
                    onFailure.accept(e);
                });
            }
        };
    }

    /** Runs a job through {@link #jobs}, showing its title in the status bar while it runs. */
    private <T> Jobs.Job submit(String title, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
        begin(title);
        return jobs.run(title, work, value -> {
            done();
            onSuccess.accept(value);
        }, e -> {
            done();
            onFailure.accept(e);
        });
    }

    private void begin(String title) {
        running++;
        busy.set(title + "…");
    }

    private void done() {
        if (--running <= 0) {
            running = 0;
            busy.set("");
        }
    }
}
