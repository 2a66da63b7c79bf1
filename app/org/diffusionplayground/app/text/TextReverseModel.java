package org.diffusionplayground.app.text;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
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
 * The text page's reverse half, the token theatre: a lane per process ({@link TextLane}) — masked
 * and uniform side by side, each model writing from the same seed, as many lanes as models are
 * loaded. Every setting change cancels the runs in progress and starts new ones from that seed (the
 * same prior and draws), the lane in focus first; their frames appear as they complete, and one
 * timeline scrubs back through every recorded step of all lanes, as on the image Reverse page. The
 * lane in focus (the page's process) is the one the sampler settings, the chart's strip and the
 * read-outs describe.
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
    private final DoubleProperty topP = new SimpleDoubleProperty(this, "topP", TokenFilter.DEFAULT_TOP_P);
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0);
    private final IntegerProperty block = new SimpleIntegerProperty(this, "block", 0);
    private final DoubleProperty remask = new SimpleDoubleProperty(this, "remask", 0);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty length = new SimpleIntegerProperty(this, "length", 256);
    private final ObjectProperty<TextRun.Given> given = new SimpleObjectProperty<>(this, "given", TextRun.Given.NONE);
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final IntegerProperty hovered = new SimpleIntegerProperty(this, "hovered", -1);
    private final ObjectProperty<TextLane> hoveredLane = new SimpleObjectProperty<>(this, "hoveredLane");
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final BooleanProperty sideBySide = new SimpleBooleanProperty(this, "sideBySide", true);
    private final ReadOnlyBooleanWrapper sampling = new ReadOnlyBooleanWrapper(this, "sampling");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyIntegerWrapper lastFrame = new ReadOnlyIntegerWrapper(this, "lastFrame", 0);
    private final ReadOnlyObjectWrapper<Cells> cells = new ReadOnlyObjectWrapper<>(this, "cells");
    private final ReadOnlyObjectWrapper<double[]> revealOrder = new ReadOnlyObjectWrapper<>(this, "revealOrder");
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper laneNote = new ReadOnlyStringWrapper(this, "laneNote", "");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "");
    private final ReadOnlyStringWrapper candidatesText = new ReadOnlyStringWrapper(this, "candidatesText", "");
    private final List<TextLane> lanes;
    private final Map<TextProcess, TokenRun.Kind> samplers = new EnumMap<>(TextProcess.class);
    private boolean started;
    private double pending;

    public TextReverseModel(Jobs jobs, TextModels models, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.models = models;
        this.onError = onError;
        // the lanes, left to right, a process's at its ordinal; the left-to-right baseline after them, never in focus
        lanes = List.of(lane(TextProcess.MASKED, "Masked · MDLM", models.maskedProperty()),
                lane(TextProcess.UNIFORM, "Uniform · SEDD", models.uniformProperty()),
                new TextLane("autoregressive", "Left to right · AR", TextProcess.values().length, models.autoregressiveProperty(),
                        this::leftToRightSettings, TextRun::run, TextModels.autoregressiveNote(), TextModels.autoregressiveNote()));
        samplers.put(TextProcess.MASKED, TokenRun.Kind.ANCESTRAL);
        samplers.put(TextProcess.UNIFORM, TokenRun.Kind.TWEEDIE);
        focus().shown(true); // before anything loads: the lane in focus, with what it waits for
        sampler.addListener((o, was, is) -> {
            if (is != null && is.masked == process.get().absorbing()) samplers.put(process.get(), is);
        });
        process.addListener((o, was, is) -> sampler.set(samplers.get(is))); // each process keeps its own sampler
        for (Observable p : new Observable[] {process, sampler, steps, order, temperature, topK, topP, threshold, block, remask, seed,
                length, given, text, models.corpusProperty(), models.maskedProperty(), models.uniformProperty(),
                models.autoregressiveProperty(), sideBySide}) {
            p.addListener(o -> rerun());
        }
        frame.addListener(o -> show());
        hovered.addListener(o -> showCandidates());
        hoveredLane.addListener(o -> showCandidates());
    }

    // --- inputs
    /** The process in focus: its lane's sampler is the one set here, and the strip and read-outs describe it. */
    public ObjectProperty<TextProcess> processProperty() { return process; }
    /** The lane in focus's sampler: ancestral or planned for a masked model; Tweedie or Euler for a uniform one. */
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
    /** The lane whose grid is under the mouse (null: the lane in focus). */
    public ObjectProperty<TextLane> hoveredLaneProperty() { return hoveredLane; }
    @Override public BooleanProperty playingProperty() { return playing; }
    /**
     * Every loaded model's lane side by side (the default), or only the lane in focus — its text
     * then takes the whole width, for a projector or a small screen. The hidden lanes keep running.
     */
    public BooleanProperty sideBySideProperty() { return sideBySide; }

    // --- outputs
    /** The lanes, left to right; each says whether it is shown. */
    public List<TextLane> lanes() { return lanes; }
    /** The lane of a process. */
    public TextLane lane(TextProcess p) { return lanes.get(p.ordinal()); }
    /** Whether any lane is sampling. */
    public ReadOnlyBooleanProperty samplingProperty() { return sampling.getReadOnlyProperty(); }
    /** The lane in focus's progress. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty lastFrameProperty() { return lastFrame.getReadOnlyProperty(); }
    /** The lane in focus's cells. */
    public ReadOnlyObjectProperty<Cells> cellsProperty() { return cells.getReadOnlyProperty(); }
    /** Per position of the lane in focus, when it was revealed as a share of the run (NaN: not yet). */
    public ReadOnlyObjectProperty<double[]> revealOrderProperty() { return revealOrder.getReadOnlyProperty(); }
    /** Per lane, the share still masked (masked) or changed per step (uniform) against the step. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    /** The lane in focus's status, or what the page needs (a model, a readable template). */
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    /** A refused prompt or template, and where the lanes not shown come from ("" when there is nothing to say). */
    public ReadOnlyStringProperty laneNoteProperty() { return laneNote.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stepTextProperty() { return stepText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty candidatesTextProperty() { return candidatesText.getReadOnlyProperty(); }
    /** The lane in focus's run (null before the first). */
    public TextRecording recording() { return focus().recording(); }
    /** The settings of the lane in focus's run. */
    public TextRun.Settings settings() { return focus().settings(); }

    private TextLane focus() { return lane(process.get()); }

    private TextLane lane(TextProcess p, String title, ReadOnlyObjectProperty<TextNetwork> network) {
        return new TextLane(p.absorbing() ? "masked" : "uniform", title, p.ordinal(), network, context -> settingsFor(p, context),
                TextRun::run, TextModels.missing(p), TextModels.laneNote(p));
    }

    /** Starts sampling once the page is first shown. */
    public void start() {
        if (started) return;
        started = true;
        rerun();
    }

    public void newSeed() { seed.set(seed.get() + 1); }

    /** The settings of the lane in focus, as the controls say. */
    TextRun.Settings currentSettings(int context) {
        return settingsFor(process.get(), context);
    }

    /** A process's settings as the controls say, clamped to their ranges; those that do not apply left at their neutral values. */
    TextRun.Settings settingsFor(TextProcess p, int context) {
        TokenRun.Kind chosen = sampler.get(); // the lane in focus's, as set (listeners may not have stored it yet)
        TokenRun.Kind kind = p == process.get() && chosen != null && chosen.masked == p.absorbing() ? chosen : samplers.get(p);
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

    /**
     * The left-to-right lane's settings: the same length, seed, prompt or template and filter
     * (temperature, top-k, top-p) as the masked lane, one step per character it writes.
     */
    TextRun.Settings leftToRightSettings(int context) {
        TextRun.Settings masked = settingsFor(TextProcess.MASKED, context);
        int written = masked.length();
        if (masked.given() == TextRun.Given.PROMPT) written -= Math.min(written, masked.text().length());
        if (masked.given() == TextRun.Given.TEMPLATE) written = (int) masked.text().chars().limit(written).filter(c -> c == '_').count();
        TokenRun recipe = new TokenRun(TokenRun.Kind.AUTOREGRESSIVE, Math.max(1, written), masked.recipe().filter(), RevealOrder.RANDOM,
                0, 0, 0, false); // every step writes a character: nothing for the cache to skip
        return new TextRun.Settings(recipe, masked.seed(), masked.length(), masked.given(), masked.text());
    }

    private void rerun() {
        boolean any = lanes.stream().anyMatch(l -> l.network() != null), all = sideBySide.get();
        for (TextLane lane : lanes) {
            lane.shown(lane == focus() ? lane.network() != null || !any || !all : all && lane.network() != null);
        }
        TextCorpus corpus = models.corpusProperty().get();
        if (!started || corpus == null) return;
        List<String> notes = new ArrayList<>();
        List<TextLane> order = new ArrayList<>(lanes);
        order.remove(focus());
        order.add(0, focus()); // the lane in focus first: its first frame comes soonest
        for (TextLane lane : order) {
            if (lane.network() == null) {
                lane.clear(lane.missing());
                if (any && all) notes.add(lane.whereFrom());
                continue;
            }
            TextRun.Settings s = lane.settingsFor(lane.network().context());
            try {
                lane.run(jobs, s, s.fixed(corpus, lane.network().context()), this::refresh, onError);
            } catch (IllegalArgumentException e) {
                String why = (s.given() == TextRun.Given.TEMPLATE ? "The template: " : "The prompt: ") + e.getMessage();
                lane.refuse(why);
                if (!notes.contains(why)) notes.add(0, why); // said once under the lanes, in full
            }
        }
        laneNote.set(String.join(" ", notes));
        playing.set(false);
        refresh();
    }

    /** Catches up with the lanes' recordings: the timeline follows the newest frame of the lane in focus unless moved back. */
    private void refresh() {
        TextLane f = focus();
        TextRecording rec = f.recording();
        sampling.set(lanes.stream().anyMatch(l -> l.samplingProperty().get()));
        progress.set(f.progressProperty().get());
        status.set(f.statusProperty().get());
        List<Curve> list = new ArrayList<>();
        for (TextLane lane : lanes) {
            Curve c = lane.shownProperty().get() ? lane.curve() : null;
            if (c != null) list.add(c);
        }
        curves.set(List.copyOf(list));
        if (rec == null || rec.frames() == 0) {
            cells.set(null);
            revealOrder.set(null);
            stepText.set("");
            lastFrame.set(0);
            frame.set(0);
            return;
        }
        int previous = lastFrame.get(), last = rec.frames() - 1;
        lastFrame.set(last);
        if (frame.get() == previous && !playing.get() || frame.get() > last) frame.set(last);
        show();
    }

    private void show() {
        TextLane f = focus();
        TextRecording rec = f.recording();
        TextCorpus corpus = models.corpusProperty().get();
        if (rec == null || rec.frames() == 0 || corpus == null) return;
        int k = Math.max(0, Math.min(frame.get(), rec.frames() - 1));
        for (TextLane lane : lanes) if (lane.shownProperty().get()) lane.show(corpus, k, rec.steps());
        cells.set(f.cellsProperty().get());
        revealOrder.set(TextCells.revealOrder(rec, k, f.fixed()));
        stepText.set(String.format(Locale.ROOT, "step %d / %d · t %.3f · NFE %d", k, rec.steps(), rec.t(k), rec.nfe(k)));
        showCandidates();
    }

    private void showCandidates() {
        TextLane lane = hoveredLane.get() == null ? focus() : hoveredLane.get();
        TextRecording rec = lane.recording(), shared = focus().recording();
        TextCorpus corpus = models.corpusProperty().get();
        int i = hovered.get();
        if (rec == null || shared == null || corpus == null || i < 0 || i >= rec.length() || rec.frames() == 0) {
            candidatesText.set("Hover a character to see the model's top candidates there.");
            return;
        }
        int k = lane.frameAt(Math.max(0, Math.min(frame.get(), shared.frames() - 1)), shared.steps());
        var list = rec.candidates(k, i);
        StringBuilder s = new StringBuilder("Position %d: ".formatted(i));
        if (lane.fixed()[i] >= 0) s.append("given, never sampled. ");
        if (list.isEmpty()) s.append("no prediction yet (step 0)");
        for (int c = 0; c < list.size(); c++) {
            var cand = list.get(c);
            s.append(c == 0 ? "" : "   ").append(quote(corpus.character(cand.id()))).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f %%", 100 * cand.probability()));
        }
        if (lanes.stream().filter(l -> l.shownProperty().get()).count() > 1) s.append("   (").append(lane.id()).append(" lane)");
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
