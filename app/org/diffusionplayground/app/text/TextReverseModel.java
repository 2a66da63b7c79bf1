package org.diffusionplayground.app.text;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.Playback;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.diffusionplayground.model.sampling.tokens.TokenFilter;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import org.diffusionplayground.viz.CharacterGridView.Cells;
import org.diffusionplayground.viz.Curve;

/**
 * The text page's reverse half, the token theatre: the chosen process's model writes a sequence
 * step by step. Every setting change cancels the run in progress and starts a new one from the
 * same seed (the same prior and draws), whose frames appear as they complete; the timeline scrubs
 * back through every recorded step, as on the image Reverse page.
 */
public final class TextReverseModel implements Playback {

    public static final int MAX_STEPS = 1000;
    static final double PLAY_SECONDS = 5.0;

    private final Jobs jobs;
    private final TextModels models;
    private final BiConsumer<String, Throwable> onError;
    private final ObjectProperty<TextProcess> process = new SimpleObjectProperty<>(this, "process", TextProcess.MASKED);
    private final ObjectProperty<TokenRun.Kind> sampler = new SimpleObjectProperty<>(this, "sampler", TokenRun.Kind.ANCESTRAL);
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 64);
    private final ObjectProperty<RevealOrder> order = new SimpleObjectProperty<>(this, "order", RevealOrder.CONFIDENCE);
    private final DoubleProperty temperature = new SimpleDoubleProperty(this, "temperature", 1);
    private final IntegerProperty topK = new SimpleIntegerProperty(this, "topK", 0);
    private final DoubleProperty topP = new SimpleDoubleProperty(this, "topP", 1);
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0);
    private final IntegerProperty block = new SimpleIntegerProperty(this, "block", 0);
    private final DoubleProperty remask = new SimpleDoubleProperty(this, "remask", 0);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty length = new SimpleIntegerProperty(this, "length", 256);
    private final ObjectProperty<TextRun.Given> given = new SimpleObjectProperty<>(this, "given", TextRun.Given.NONE);
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final IntegerProperty hovered = new SimpleIntegerProperty(this, "hovered", -1);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final ReadOnlyBooleanWrapper sampling = new ReadOnlyBooleanWrapper(this, "sampling");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyIntegerWrapper lastFrame = new ReadOnlyIntegerWrapper(this, "lastFrame", 0);
    private final ReadOnlyObjectWrapper<Cells> cells = new ReadOnlyObjectWrapper<>(this, "cells");
    private final ReadOnlyObjectWrapper<double[]> revealOrder = new ReadOnlyObjectWrapper<>(this, "revealOrder");
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "");
    private final ReadOnlyStringWrapper candidatesText = new ReadOnlyStringWrapper(this, "candidatesText", "");

    private AtomicBoolean running = new AtomicBoolean();
    private TextRun.Settings current;
    private TextNetwork sampled;
    private TextRecording recording;
    private int[] fixed;
    private boolean started;
    private double pending;

    public TextReverseModel(Jobs jobs, TextModels models, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.models = models;
        this.onError = onError;
        process.addListener((o, was, is) -> {
            if (sampler.get() == null || sampler.get().masked != is.absorbing()) {
                sampler.set(is.absorbing() ? TokenRun.Kind.ANCESTRAL : TokenRun.Kind.TWEEDIE);
            }
        });
        for (Observable p : new Observable[] {process, sampler, steps, order, temperature, topK, topP, threshold, block, remask, seed,
                length, given, text, models.corpusProperty(), models.maskedProperty(), models.uniformProperty()}) {
            p.addListener(o -> rerun());
        }
        frame.addListener(o -> show());
        hovered.addListener(o -> showCandidates());
    }

    // --- inputs
    public ObjectProperty<TextProcess> processProperty() { return process; }
    /** Ancestral or planned for a masked model; Tweedie or Euler for a uniform one. */
    public ObjectProperty<TokenRun.Kind> samplerProperty() { return sampler; }
    public IntegerProperty stepsProperty() { return steps; }
    /** The planned sampler's reveal order. */
    public ObjectProperty<RevealOrder> orderProperty() { return order; }
    public DoubleProperty temperatureProperty() { return temperature; }
    public IntegerProperty topKProperty() { return topK; }
    public DoubleProperty topPProperty() { return topP; }
    public DoubleProperty thresholdProperty() { return threshold; }
    public IntegerProperty blockProperty() { return block; }
    public DoubleProperty remaskProperty() { return remask; }
    public IntegerProperty seedProperty() { return seed; }
    /** Characters written (a template's own length wins). */
    public IntegerProperty lengthProperty() { return length; }
    public ObjectProperty<TextRun.Given> givenProperty() { return given; }
    /** The prompt or template ('_' = written by the model). */
    public StringProperty textProperty() { return text; }
    public IntegerProperty frameProperty() { return frame; }
    /** The position under the mouse (−1: none); its candidates appear in {@link #candidatesTextProperty()}. */
    public IntegerProperty hoveredProperty() { return hovered; }
    @Override public BooleanProperty playingProperty() { return playing; }

    // --- outputs
    public ReadOnlyBooleanProperty samplingProperty() { return sampling.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty lastFrameProperty() { return lastFrame.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Cells> cellsProperty() { return cells.getReadOnlyProperty(); }
    /** Per position, when it was revealed as a share of the run (NaN: not yet). */
    public ReadOnlyObjectProperty<double[]> revealOrderProperty() { return revealOrder.getReadOnlyProperty(); }
    /** Fraction still masked (masked) or changed per step (uniform) against the step. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stepTextProperty() { return stepText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty candidatesTextProperty() { return candidatesText.getReadOnlyProperty(); }
    /** The run shown (null before the first). */
    public TextRecording recording() { return recording; }
    /** The settings of the run shown. */
    public TextRun.Settings settings() { return current; }

    /** Starts sampling once the page is first shown. */
    public void start() {
        if (started) return;
        started = true;
        rerun();
    }

    public void newSeed() { seed.set(seed.get() + 1); }

    /** The settings as the controls say, clamped to their ranges; irrelevant ones left at their neutral values. */
    TextRun.Settings currentSettings(int context) {
        TokenRun.Kind kind = sampler.get() == null || sampler.get().masked != process.get().absorbing()
                ? (process.get().absorbing() ? TokenRun.Kind.ANCESTRAL : TokenRun.Kind.TWEEDIE) : sampler.get();
        boolean planned = kind == TokenRun.Kind.PLANNED;
        TokenFilter filter = kind.masked ? new TokenFilter(clamp(temperature.get(), 0, 100), Math.max(0, topK.get()),
                clamp(topP.get(), 0.01, 1)) : TokenFilter.none();
        int n = (int) clamp(length.get(), 1, context);
        TextRun.Given g = given.get() == null || text.get().isEmpty() ? TextRun.Given.NONE : given.get();
        if (g == TextRun.Given.TEMPLATE) n = Math.min(text.get().length(), context);
        TokenRun recipe = new TokenRun(kind, (int) clamp(steps.get(), 1, MAX_STEPS), filter,
                planned ? order.get() : RevealOrder.RANDOM, planned ? clamp(threshold.get(), 0, 1) : 0,
                planned ? (int) clamp(block.get(), 0, context) : 0, kind == TokenRun.Kind.ANCESTRAL ? clamp(remask.get(), 0, 1) : 0, true);
        return new TextRun.Settings(recipe, seed.get(), n, g, g == TextRun.Given.NONE ? "" : text.get());
    }

    private void rerun() {
        TextNetwork net = models.networkProperty(process.get()).get();
        TextCorpus corpus = models.corpusProperty().get();
        if (!started || corpus == null) return;
        if (net == null) {
            cancelRunning();
            current = null;
            recording = null;
            cells.set(null);
            revealOrder.set(null);
            curves.set(List.of());
            status.set(TextModels.missing(process.get()));
            return;
        }
        TextRun.Settings s = currentSettings(net.context());
        if (s.equals(current) && net == sampled) return;
        int[] given;
        try {
            given = s.fixed(corpus, net.context());
        } catch (IllegalArgumentException e) {
            status.set((s.given() == TextRun.Given.TEMPLATE ? "The template: " : "The prompt: ") + e.getMessage());
            return;
        }
        cancelRunning();
        current = s;
        sampled = net;
        fixed = given;
        TextRecording rec = new TextRecording(s.recipe().steps(), s.length(), net.model().maskToken());
        recording = rec;
        AtomicBoolean token = running;
        sampling.set(true);
        progress.set(0);
        lastFrame.set(0);
        frame.set(0);
        status.set("sampling…");
        String title = "Writing %d characters with %s".formatted(s.length(), s.recipe().sampler().cliName());
        jobs.run(title, done -> {
            TextRun.run(s, net, given, rec, done, token::get);
            return rec;
        }, fraction -> {
            if (token.get()) return;
            progress.set(fraction);
            refresh();
        }, finished -> {
            if (token.get()) return;
            sampling.set(false);
            progress.set(1);
            refresh();
        }, e -> {
            if (token.get()) return;
            sampling.set(false);
            status.set("sampling failed");
            onError.accept("Sampling with " + net.name(), e);
        });
    }

    private void cancelRunning() {
        running.set(true);
        running = new AtomicBoolean();
        sampling.set(false);
        playing.set(false);
    }

    /** Catches up with the recording: the timeline follows the newest frame unless moved back. */
    private void refresh() {
        TextRecording rec = recording;
        if (rec == null || rec.frames() == 0) return;
        int previous = lastFrame.get(), last = rec.frames() - 1;
        lastFrame.set(last);
        if (frame.get() == previous && !playing.get()) frame.set(last);
        curves.set(List.of(fractionCurve(rec, last)));
        show();
        status.set(rec.complete() ? String.format(Locale.ROOT, "done: %d steps, NFE %d, %.2f s", rec.steps(), rec.nfe(last),
                rec.millis(last) / 1e3) : "sampling step %d / %d…".formatted(last, rec.steps()));
    }

    private static Curve fractionCurve(TextRecording rec, int last) {
        boolean masked = rec.maskId() >= 0;
        int from = masked ? 0 : 1, n = Math.max(0, last - from + 1);
        double[] x = new double[n], y = new double[n];
        for (int k = from; k <= last; k++) {
            x[k - from] = k;
            y[k - from] = rec.fraction(k);
        }
        return new Curve(masked ? "fraction still masked" : "fraction changed by the step", 0, x, y);
    }

    private void show() {
        TextRecording rec = recording;
        TextCorpus corpus = models.corpusProperty().get();
        if (rec == null || rec.frames() == 0 || corpus == null) return;
        int k = Math.max(0, Math.min(frame.get(), rec.frames() - 1));
        cells.set(TextCells.reverse(corpus, rec, k, fixed));
        revealOrder.set(TextCells.revealOrder(rec, k, fixed));
        stepText.set(String.format(Locale.ROOT, "step %d / %d · t %.3f · NFE %d", k, rec.steps(), rec.t(k), rec.nfe(k)));
        showCandidates();
    }

    private void showCandidates() {
        TextRecording rec = recording;
        TextCorpus corpus = models.corpusProperty().get();
        int i = hovered.get();
        if (rec == null || corpus == null || i < 0 || i >= rec.length() || rec.frames() == 0) {
            candidatesText.set("Hover a character to see the model's top candidates there.");
            return;
        }
        int k = Math.max(0, Math.min(frame.get(), rec.frames() - 1));
        var list = rec.candidates(k, i);
        StringBuilder s = new StringBuilder("Position %d: ".formatted(i));
        if (fixed[i] >= 0) s.append("given, never sampled. ");
        if (list.isEmpty()) s.append("no prediction yet (step 0)");
        for (int c = 0; c < list.size(); c++) {
            var cand = list.get(c);
            s.append(c == 0 ? "" : "   ").append(quote(corpus.character(cand.id()))).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f %%", 100 * cand.probability()));
        }
        candidatesText.set(s.toString());
    }

    /** A character as the candidates list shows it: visible quotes, line breaks and spaces named. */
    static String quote(char c) {
        return switch (c) {
            case '\n' -> "⏎";
            case ' ' -> "␣";
            default -> "'" + c + "'";
        };
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    // --- playback over the recorded frames
    @Override public void stepBy(int delta) {
        playing.set(false);
        frame.set((int) clamp(frame.get() + delta, 0, lastFrame.get()));
    }

    @Override public void toStart() {
        playing.set(false);
        frame.set(0);
    }

    @Override public void toEnd() {
        playing.set(false);
        frame.set(lastFrame.get());
    }

    @Override public void togglePlay() {
        if (!playing.get() && frame.get() >= lastFrame.get()) frame.set(0);
        playing.set(!playing.get());
    }

    @Override public void advance(double seconds) {
        if (!playing.get()) return;
        int end = lastFrame.get();
        pending += seconds * Math.max(4, end / PLAY_SECONDS);
        int whole = (int) pending;
        pending -= whole;
        frame.set(Math.min(end, frame.get() + whole));
        if (frame.get() >= end) playing.set(false);
    }
}
