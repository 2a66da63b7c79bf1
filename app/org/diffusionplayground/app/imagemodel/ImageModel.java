package org.diffusionplayground.app.imagemodel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * The app's current image model, shared by every page that samples one (Reverse, Compare): a
 * shipped network (the diffusion model, or the flow model once trained) or a checkpoint folder or
 * file the user picked, loaded as a background job. Pages observe {@link #networkProperty()} and
 * {@link #loadingProperty()}; a load that fails reports through {@code onError} (the error banner)
 * and leaves the previous network in place. The Compare page sets the shipped model of the other
 * family beside it ({@link #shipped(PathFamily, Consumer, Consumer)}), loaded once and kept.
 */
public final class ImageModel {

    private final Jobs jobs;
    private final Networks networks;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyObjectWrapper<Network> network = new ReadOnlyObjectWrapper<>(this, "network");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyObjectWrapper<Path> source = new ReadOnlyObjectWrapper<>(this, "source");
    private final ReadOnlyObjectWrapper<PathFamily> shippedFamily = new ReadOnlyObjectWrapper<>(this, "shippedFamily");
    private final Map<PathFamily, Network> shippedLoaded = new EnumMap<>(PathFamily.class);
    private final Map<PathFamily, List<Consumer<Network>>> shippedWaiting = new EnumMap<>(PathFamily.class);
    private final Map<PathFamily, List<Consumer<Throwable>>> shippedFailing = new EnumMap<>(PathFamily.class);
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

    /** Where the network came from: a run folder or file, null for a shipped model (a scenario stores it). */
    public ReadOnlyObjectProperty<Path> sourceProperty() { return source.getReadOnlyProperty(); }

    /** Which shipped model the network is (diffusion or flow); null for a run folder or file. */
    public ReadOnlyObjectProperty<PathFamily> shippedFamilyProperty() { return shippedFamily.getReadOnlyProperty(); }

    /** Whether the shipped model of {@code family} is there (the flow model may not be trained yet). */
    public boolean ships(PathFamily family) {
        return networks.ships(family);
    }

    /** Loads the shipped model unless a network is loaded or loading. */
    public void ensureLoaded() {
        if (network.get() == null && !loading.get()) openShipped();
    }

    /** Goes back to the shipped diffusion model (on failure the current one stays). */
    public void openShipped() {
        openShipped(PathFamily.DIFFUSION);
    }

    /** Switches to the shipped model of {@code family}; on failure (the flow model not trained yet) the current one stays. */
    public void openShipped(PathFamily family) {
        String what = "Loading the shipped %s model".formatted(family.cliName());
        Network known = shippedLoaded.get(family);
        load(what, () -> known != null ? known : networks.shipped(family), null, family, what);
    }

    /** Replaces the network by the checkpoint folder or file; on failure the current one stays. */
    public void open(Path folderOrFile) {
        load("Loading " + folderOrFile.getFileName(), () -> networks.open(folderOrFile), folderOrFile, null,
                "Opening the model " + folderOrFile);
    }

    /**
     * Hands {@code then} the shipped model of {@code family} — the current network if it is that one,
     * else loaded once in the background and kept — or tells {@code failed} why not (the flow model's
     * file missing: {@link ShippedModels#flowMissing()}). Not the error banner: the caller says it.
     */
    public void shipped(PathFamily family, Consumer<Network> then, Consumer<Throwable> failed) {
        Network known = shippedFamily.get() == family && source.get() == null ? network.get() : shippedLoaded.get(family);
        if (known != null) {
            then.accept(known);
            return;
        }
        List<Consumer<Network>> waiting = shippedWaiting.computeIfAbsent(family, f -> new ArrayList<>());
        List<Consumer<Throwable>> failing = shippedFailing.computeIfAbsent(family, f -> new ArrayList<>());
        waiting.add(then);
        failing.add(failed);
        if (waiting.size() > 1) return; // a load of it is on its way
        jobs.run("Loading the shipped %s model".formatted(family.cliName()), () -> networks.shipped(family), loaded -> {
            shippedLoaded.put(family, loaded);
            List<Consumer<Network>> all = List.copyOf(waiting);
            waiting.clear();
            failing.clear();
            all.forEach(c -> c.accept(loaded));
        }, e -> {
            List<Consumer<Throwable>> all = List.copyOf(failing);
            waiting.clear();
            failing.clear();
            all.forEach(c -> c.accept(e));
        });
    }

    private void load(String title, Callable<Network> open, Path from, PathFamily shipped, String what) {
        pending++;
        loading.set(true);
        jobs.run(title, open, loaded -> {
            if (shipped != null) shippedLoaded.put(shipped, loaded);
            source.set(from);
            shippedFamily.set(shipped);
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
