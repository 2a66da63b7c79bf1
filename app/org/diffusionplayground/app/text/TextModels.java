package org.diffusionplayground.app.text;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;

/**
 * The text page's data and models: tiny Shakespeare (its characters and validation passages), one
 * model per process and the left-to-right baseline — the shipped ones when present, else any the
 * user opens, each becoming the model of its own family. All loading runs as jobs.
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
    private final ReadOnlyObjectWrapper<TextNetwork> autoregressive = new ReadOnlyObjectWrapper<>(this, "autoregressive");
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
    /** The left-to-right baseline (null while there is none). */
    public ReadOnlyObjectProperty<TextNetwork> autoregressiveProperty() { return autoregressive.getReadOnlyProperty(); }
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

    /** Where the left-to-right baseline's lane comes from. */
    static String autoregressiveNote() {
        return ("The left-to-right lane (a causal model of the same size writing one character per step) appears once the baseline"
                + " is loaded: train one on the Train page (Tiny Shakespeare, left-to-right), open one with “Open model…”, or put %s"
                + " in pretrained/.").formatted(TextNetworks.AUTOREGRESSIVE_FILE);
    }

    /** The property holding the model of {@code family}. */
    private ReadOnlyObjectWrapper<TextNetwork> slot(TokenFamily family) {
        return switch (family) {
            case MASKED -> masked;
            case UNIFORM -> uniform;
            case AUTOREGRESSIVE -> autoregressive;
        };
    }

    /** Loads the corpus, then the shipped models (the page's first visit). */
    public void start() {
        if (started) return;
        started = true;
        loading.set(true);
        jobs.run("Loading tiny Shakespeare and the text models", () -> {
            var shipped = new java.util.EnumMap<TokenFamily, TextNetwork>(TokenFamily.class);
            for (TokenFamily f : TokenFamily.values()) networks.shipped(f).ifPresent(n -> shipped.put(f, n));
            return new Loaded(TextCorpus.shakespeare(), shipped);
        }, l -> {
            loading.set(false);
            corpus.set(l.corpus());
            l.shipped().forEach((f, n) -> {
                if (slot(f).get() == null) slot(f).set(n); // a model opened meanwhile stays
            });
        }, e -> {
            loading.set(false);
            onError.accept("Loading the text page's data and models", e);
        });
    }

    private record Loaded(TextCorpus corpus, java.util.Map<TokenFamily, TextNetwork> shipped) {
    }

    /** Opens a text model from {@code file}; it becomes the model of its own family. */
    public void open(Path file) {
        open(file, net -> { });
    }

    /** As {@link #open(Path)}, then hands the model to {@code then} (on the UI thread) once it is in use. */
    public void open(Path file, java.util.function.Consumer<TextNetwork> then) {
        loading.set(true);
        jobs.run("Opening " + file.getFileName(), () -> networks.open(file), net -> {
            loading.set(false);
            TextCorpus c = corpus.get();
            int characters = net.model().maskToken() >= 0 ? net.model().vocabularySize() - 1 : net.model().vocabularySize();
            if (c != null && characters != c.vocabularySize()) {
                onError.accept("Opening " + file, new IllegalArgumentException("the model writes %d characters; %s has %d"
                        .formatted(characters, c.name(), c.vocabularySize())));
                return;
            }
            slot(TokenFamily.of(net.model())).set(net);
            then.accept(net);
        }, e -> {
            loading.set(false);
            onError.accept("Opening " + file, e);
        });
    }
}
