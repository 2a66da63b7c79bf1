package org.diffusionplayground.app.text;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.data.TextCorpus;

/**
 * The text page's data and models: tiny Shakespeare (its characters and validation passages) and
 * one model per process — the shipped ones when present, else any the user opens. All loading
 * runs as jobs; {@link #noteProperty()} says what is missing and how to get it.
 */
public final class TextModels {

    static final String HOW_TO = "Train one with `java -jar target/diffusion-playground.jar train --dataset shakespeare --process %s"
            + " --out runs/shakespeare-%s` (then \"Open model…\" its run folder), or put %s in pretrained/.";

    private final Jobs jobs;
    private final TextNetworks networks;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyObjectWrapper<TextCorpus> corpus = new ReadOnlyObjectWrapper<>(this, "corpus");
    private final ReadOnlyObjectWrapper<TextNetwork> masked = new ReadOnlyObjectWrapper<>(this, "masked");
    private final ReadOnlyObjectWrapper<TextNetwork> uniform = new ReadOnlyObjectWrapper<>(this, "uniform");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private boolean started;

    public TextModels(Jobs jobs, TextNetworks networks, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.networks = networks;
        this.onError = onError;
    }

    public ReadOnlyObjectProperty<TextCorpus> corpusProperty() { return corpus.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<TextNetwork> maskedProperty() { return masked.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<TextNetwork> uniformProperty() { return uniform.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty loadingProperty() { return loading.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<TextNetwork> networkProperty(TextProcess process) {
        return process.absorbing() ? maskedProperty() : uniformProperty();
    }

    /** Why the process has no model and how to get one ("" when it has one). */
    public static String missing(TextProcess process) {
        String name = process.absorbing() ? "absorbing" : "uniform";
        return ("No %s text model yet: the forward process works without one. " + HOW_TO).formatted(
                process.absorbing() ? "masked" : "uniform", name, process.absorbing() ? "masked" : "uniform",
                process.absorbing() ? TextNetworks.MASKED_FILE : TextNetworks.UNIFORM_FILE);
    }

    /** Where the lane of {@code p} comes from, said while another process's model writes alone. */
    static String laneNote(TextProcess p) {
        String name = p.absorbing() ? "masked" : "uniform";
        return ("The %s lane appears beside this one once a %s model is loaded: train one on the Train page (Tiny Shakespeare, %s"
                + " process) and press “Use this model”, open one with “Open model…”, or put %s in pretrained/.").formatted(name, name,
                p.absorbing() ? "masked (absorbing)" : "uniform", p.absorbing() ? TextNetworks.MASKED_FILE : TextNetworks.UNIFORM_FILE);
    }

    /** Loads the corpus, then the shipped models (the page's first visit). */
    public void start() {
        if (started) return;
        started = true;
        loading.set(true);
        jobs.run("Loading tiny Shakespeare and the text models", () -> new Loaded(TextCorpus.shakespeare(),
                networks.shipped(true), networks.shipped(false)), l -> {
            loading.set(false);
            corpus.set(l.corpus());
            if (masked.get() == null) l.masked().ifPresent(masked::set); // a model opened meanwhile stays
            if (uniform.get() == null) l.uniform().ifPresent(uniform::set);
        }, e -> {
            loading.set(false);
            onError.accept("Loading the text page's data and models", e);
        });
    }

    private record Loaded(TextCorpus corpus, Optional<TextNetwork> masked, Optional<TextNetwork> uniform) {
    }

    /** Opens a text model from {@code file}; it becomes the model of its own process. */
    public void open(Path file) {
        open(file, net -> { });
    }

    /** As {@link #open(Path)}, then hands the model to {@code then} (on the UI thread) once it is in use. */
    public void open(Path file, java.util.function.Consumer<TextNetwork> then) {
        loading.set(true);
        jobs.run("Opening " + file.getFileName(), () -> networks.open(file), net -> {
            loading.set(false);
            if (net.model().autoregressive()) {
                onError.accept("Opening " + file, new IllegalArgumentException("this is the left-to-right baseline: the page's lanes"
                        + " are the masked and the uniform model, and its own lane is not built yet (sample it with the CLI's sample)"));
                return;
            }
            TextCorpus c = corpus.get();
            int characters = net.absorbing() ? net.model().vocabularySize() - 1 : net.model().vocabularySize();
            if (c != null && characters != c.vocabularySize()) {
                onError.accept("Opening " + file, new IllegalArgumentException("the model writes %d characters; %s has %d"
                        .formatted(characters, c.name(), c.vocabularySize())));
                return;
            }
            (net.absorbing() ? masked : uniform).set(net);
            then.accept(net);
        }, e -> {
            loading.set(false);
            onError.accept("Opening " + file, e);
        });
    }
}
