package org.diffusionplayground.app.text;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.viz.CharacterGridView.Cells;
import org.diffusionplayground.viz.Curve;

/**
 * One lane of the text page's reverse half: one model writing from the page's seed — its run,
 * recorded step by step, the cells of the frame shown, its progress and a status line with its NFE.
 * The reverse half holds a lane per process (masked, uniform) and runs those whose model is
 * loaded, side by side from one seed. A lane knows its model, how the shared settings apply to it
 * and how it runs ({@link Runner}); the autoregressive baseline joins as one more lane with its own
 * network, settings (one step per character) and runner.
 */
public final class TextLane {

    /** Runs one lane's settings on its model, recording every step (off the UI thread). */
    @FunctionalInterface
    public interface Runner {
        void run(TextRun.Settings settings, TextNetwork net, int[] fixed, TextRecording into, java.util.function.DoubleConsumer progress,
                 java.util.function.BooleanSupplier cancelled);
    }

    private final String id;
    private final String title;
    private final int colour;
    private final ObservableValue<TextNetwork> network;
    private final IntFunction<TextRun.Settings> settings;
    private final Runner runner;
    private final String missing, whereFrom;
    private final ReadOnlyObjectWrapper<Cells> cells = new ReadOnlyObjectWrapper<>(this, "cells");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyBooleanWrapper sampling = new ReadOnlyBooleanWrapper(this, "sampling");
    private final ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper(this, "shown");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private AtomicBoolean cancelled = new AtomicBoolean();
    private TextRun.Settings current;
    private TextNetwork sampled;
    private TextRecording recording;
    private int[] fixed;

    /**
     * @param id        for node ids and lookups, e.g. "masked"
     * @param colour    the palette index of its curve on the chart
     * @param network   its model (null while there is none)
     * @param settings  the page's settings as they apply to it, for a model of the given context
     * @param missing   what it says in place of its text while no lane has a model
     * @param whereFrom where its model comes from, said while another lane writes alone
     */
    TextLane(String id, String title, int colour, ObservableValue<TextNetwork> network, IntFunction<TextRun.Settings> settings,
             Runner runner, String missing, String whereFrom) {
        this.id = id;
        this.title = title;
        this.colour = colour;
        this.network = network;
        this.settings = settings;
        this.runner = runner;
        this.missing = missing;
        this.whereFrom = whereFrom;
    }

    public String id() { return id; }

    public String title() { return title; }

    /** The palette index of its curve and swatch. */
    public int colour() { return colour; }

    /** Its model, or null. */
    public TextNetwork network() { return network.getValue(); }

    /** The cells of the frame shown (null before its first run). */
    public ReadOnlyObjectProperty<Cells> cellsProperty() { return cells.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty samplingProperty() { return sampling.getReadOnlyProperty(); }
    /** Whether the reverse half shows it: its model is loaded (or no lane has one and it is the one in focus). */
    public ReadOnlyBooleanProperty shownProperty() { return shown.getReadOnlyProperty(); }
    /** "done · NFE 51 · 0.84 s" (its network evaluations: fewer than its steps where a step changed nothing), "step 12 / 64…", or why it cannot run. */
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }

    /** The page's settings for its model of {@code context} characters. */
    TextRun.Settings settingsFor(int context) { return settings.apply(context); }

    /** What it says while no model is loaded at all. */
    String missing() { return missing; }

    /** Where its model comes from, for the note under the lanes while it is not shown. */
    String whereFrom() { return whereFrom; }

    /** Its run (null before the first). */
    TextRecording recording() { return recording; }

    TextRun.Settings settings() { return current; }

    /** Per position of its context: the given id, or −1 where the model writes. */
    int[] fixed() { return fixed; }

    void shown(boolean on) { shown.set(on); }

    /**
     * Starts a run of {@code s} unless it is the run already made with this model; cancels the run
     * in progress. {@code onFrame} hears of every recorded frame and the end (on the UI thread).
     */
    void run(Jobs jobs, TextRun.Settings s, int[] given, Runnable onFrame, BiConsumer<String, Throwable> onError) {
        TextNetwork net = network();
        if (s.equals(current) && net == sampled) return;
        cancel();
        current = s;
        sampled = net;
        fixed = given;
        TextRecording rec = new TextRecording(s.recipe().steps(), s.length(), net.model().maskToken());
        recording = rec;
        AtomicBoolean token = cancelled;
        sampling.set(true);
        progress.set(0);
        status.set("waiting…");
        String name = "Writing %d characters with %s (%s)".formatted(s.length(), s.recipe().sampler().cliName(), title);
        jobs.run(name, done -> {
            runner.run(s, net, given, rec, done, token::get);
            return rec;
        }, fraction -> {
            if (token.get()) return;
            progress.set(fraction);
            status.set(describe(rec));
            onFrame.run();
        }, finished -> {
            if (token.get()) return;
            sampling.set(false);
            progress.set(1);
            status.set(describe(rec));
            onFrame.run();
        }, e -> {
            if (token.get()) return;
            sampling.set(false);
            status.set("sampling failed");
            onError.accept("Sampling with " + net.name(), e);
        });
    }

    /** Cancels the run in progress (it stops between steps); the frames recorded stay. */
    void cancel() {
        cancelled.set(true);
        cancelled = new AtomicBoolean();
        sampling.set(false);
    }

    /** No run: nothing drawn, {@code why} as the status. */
    void clear(String why) {
        cancel();
        current = null;
        sampled = null;
        recording = null;
        cells.set(null);
        progress.set(0);
        status.set(why);
    }

    /** Says why the run shown cannot start (a template the model cannot read), keeping what was drawn. */
    void refuse(String why) {
        status.set(why);
    }

    /**
     * Its frame at the shared timeline's frame {@code k} of {@code steps}: the same frame for a
     * lane of as many steps, the same share of the run for one of another count.
     */
    int frameAt(int k, int steps) {
        TextRecording rec = recording;
        if (rec == null || rec.frames() == 0) return 0;
        int f = rec.steps() == steps ? k : (int) Math.round((double) k * rec.steps() / Math.max(1, steps));
        return Math.max(0, Math.min(f, rec.frames() - 1));
    }

    /** Draws its frame at the shared frame {@code k} of {@code steps}. */
    void show(TextCorpus corpus, int k, int steps) {
        TextRecording rec = recording;
        if (rec == null || rec.frames() == 0 || corpus == null) return;
        cells.set(TextCells.reverse(corpus, rec, frameAt(k, steps), fixed));
    }

    /** Its share still masked (masked; left to right: not yet written) or changed per step (uniform) against the step, for the chart. */
    Curve curve() {
        TextRecording rec = recording;
        if (rec == null || rec.frames() == 0) return null;
        int last = rec.frames() - 1;
        boolean masked = rec.maskId() >= 0;
        int from = masked ? 0 : 1, n = Math.max(0, last - from + 1);
        double[] x = new double[n], y = new double[n];
        for (int k = from; k <= last; k++) {
            x[k - from] = k;
            y[k - from] = rec.fraction(k);
        }
        String what = !masked ? ": share changed by the step" : sampled != null && sampled.model().autoregressive()
                ? ": share not yet written" : ": share still masked";
        return new Curve(title + what, colour, x, y);
    }

    private static String describe(TextRecording rec) {
        int last = rec.frames() - 1;
        return rec.complete() ? String.format(Locale.ROOT, "done · NFE %d · %.2f s", rec.nfe(last), rec.millis(last) / 1e3)
                : "step %d / %d…".formatted(last, rec.steps());
    }
}
