package org.diffusionplayground.app.imagemodel;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.Jobs;

/**
 * The app's current image model, shared by every page that samples one (Reverse, Compare): the
 * shipped network or a checkpoint folder or file the user picked, loaded as a background job.
 * Pages observe {@link #networkProperty()} and {@link #loadingProperty()}; a load that fails
 * reports through {@code onError} (the error banner) and leaves the previous network in place.
 */
public final class ImageModel {

    private final Jobs jobs;
    private final Networks networks;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyObjectWrapper<Network> network = new ReadOnlyObjectWrapper<>(this, "network");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyObjectWrapper<Path> source = new ReadOnlyObjectWrapper<>(this, "source");
    private int pending;

    /**
     * @param networks where networks come from ({@link Networks#files()}; tests pass a fake)
     * @param onError  told what failed, e.g. "Opening the model /runs/bad.dpck", and why
     */
    public ImageModel(Jobs jobs, Networks networks, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.networks = networks;
        this.onError = onError;
    }

    /** The network pages sample from; null until the first load succeeds. */
    public ReadOnlyObjectProperty<Network> networkProperty() { return network.getReadOnlyProperty(); }

    /**
     * True while a load runs. It turns false after the network has changed (on success) or after
     * the failure was reported, so a page reacting to the change sees the outcome.
     */
    public ReadOnlyBooleanProperty loadingProperty() { return loading.getReadOnlyProperty(); }

    /** Where the network came from: a run folder or file, null for the shipped model (a scenario stores it). */
    public ReadOnlyObjectProperty<Path> sourceProperty() { return source.getReadOnlyProperty(); }

    /** Loads the shipped model unless a network is loaded or loading. */
    public void ensureLoaded() {
        if (network.get() == null && !loading.get()) openShipped();
    }

    /** Goes back to the shipped model (loads it again; on failure the current one stays). */
    public void openShipped() {
        load("Loading the shipped model", networks::shipped, null, "Loading the shipped model");
    }

    /** Replaces the network by the checkpoint folder or file; on failure the current one stays. */
    public void open(Path folderOrFile) {
        load("Loading " + folderOrFile.getFileName(), () -> networks.open(folderOrFile), folderOrFile, "Opening the model " + folderOrFile);
    }

    private void load(String title, Callable<Network> open, Path from, String what) {
        pending++;
        loading.set(true);
        jobs.run(title, open, loaded -> {
            source.set(from);
            network.set(loaded);
            finished();
        }, e -> {
            onError.accept(what, e);
            finished();
        });
    }

    private void finished() {
        if (--pending <= 0) {
            pending = 0;
            loading.set(false);
        }
    }
}
