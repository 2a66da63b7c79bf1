package org.diffusionplayground.app.text;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.Playback;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.diffusionplayground.viz.CharacterGridView.Cells;
import org.diffusionplayground.viz.Curve;

/**
 * The text page's forward half: a passage (from the validation text, or typed) under the chosen
 * process at time t, with the same uniform draws at every t ({@link TextCorruption}); the
 * schedule with a cursor, and the expected and actual fraction of corrupted characters. The
 * table of all scrub times is built as a job; moving t only reads it.
 */
public final class TextForwardModel implements Playback {

    public static final int PASSAGE = 256;
    static final double PLAY_SECONDS = 4.0;

    private final Jobs jobs;
    private final TextModels models;
    private final BiConsumer<String, Throwable> onError;
    private final ObjectProperty<TextProcess> process = new SimpleObjectProperty<>(this, "process", TextProcess.MASKED);
    private final StringProperty passage = new SimpleStringProperty(this, "passage", "");
    private final IntegerProperty draws = new SimpleIntegerProperty(this, "draws", 0);
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", TextCorruption.FRAMES / 2);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final ReadOnlyObjectWrapper<Cells> cells = new ReadOnlyObjectWrapper<>(this, "cells");
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyStringWrapper timeText = new ReadOnlyStringWrapper(this, "timeText", "");
    private final ReadOnlyStringWrapper scheduleText = new ReadOnlyStringWrapper(this, "scheduleText", "");
    private final ReadOnlyStringWrapper expectedText = new ReadOnlyStringWrapper(this, "expectedText", "");
    private final ReadOnlyStringWrapper actualText = new ReadOnlyStringWrapper(this, "actualText", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private TextCorruption table;
    private int passages;
    private double pending;

    public TextForwardModel(Jobs jobs, TextModels models, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.models = models;
        this.onError = onError;
        models.corpusProperty().addListener((o, was, is) -> {
            if (passage.get().isEmpty()) newPassage();
            else rebuild();
        });
        for (Observable p : new Observable[] {process, passage, draws, models.maskedProperty(), models.uniformProperty()}) {
            p.addListener(o -> rebuild());
        }
        step.addListener(o -> show());
    }

    public ObjectProperty<TextProcess> processProperty() { return process; }
    /** The text being corrupted: a validation passage, or what the user typed. */
    public StringProperty passageProperty() { return passage; }
    /** Which uniform draws corrupt the passage ("New draws" counts up). */
    public IntegerProperty drawsProperty() { return draws; }
    /** Scrub step k: t = k / {@link TextCorruption#FRAMES}. */
    public IntegerProperty stepProperty() { return step; }
    @Override public BooleanProperty playingProperty() { return playing; }
    public ReadOnlyObjectProperty<Cells> cellsProperty() { return cells.getReadOnlyProperty(); }
    /** The schedule (α_t or σ̄(t)) and the expected fraction corrupted, against t. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    public ReadOnlyStringProperty timeTextProperty() { return timeText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty scheduleTextProperty() { return scheduleText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty expectedTextProperty() { return expectedText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty actualTextProperty() { return actualText.getReadOnlyProperty(); }
    /** Why nothing is shown (a typed character the model does not know), else "". */
    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }
    public double time() { return TextCorruption.time(step.get()); }

    /** A new random passage of {@value #PASSAGE} characters from the validation text. */
    public void newPassage() {
        TextCorpus corpus = models.corpusProperty().get();
        if (corpus == null) return;
        int start = new Noise(7919L * ++passages).nextInt(corpus.validationStarts(PASSAGE));
        int[] ids = new int[PASSAGE];
        corpus.validationWindow(start, PASSAGE, ids, 0);
        passage.set(corpus.decode(ids));
    }

    public void newDraws() { draws.set(draws.get() + 1); }

    private void rebuild() {
        TextCorpus corpus = models.corpusProperty().get();
        String text = passage.get();
        if (corpus == null || text.isEmpty()) return;
        int[] ids;
        try {
            ids = corpus.encode(text);
        } catch (IllegalArgumentException e) {
            message.set("The passage has a character the model does not know: " + e.getMessage());
            table = null;
            cells.set(null);
            return;
        }
        message.set("");
        TextProcess p = process.get();
        // each process's schedule from its own model (a masked network has no σ̄, a uniform one no α_t)
        TextNetwork maskedNet = models.maskedProperty().get(), uniformNet = models.uniformProperty().get();
        MaskingSchedule masking = maskedNet == null ? MaskingSchedule.linear() : maskedNet.model().maskingSchedule();
        GeometricNoise noise = uniformNet == null ? GeometricNoise.sedd() : uniformNet.model().uniformNoise();
        long seed = 1_000_003L * draws.get() + 17;
        jobs.run("Corrupting the passage", () -> TextCorruption.of(p, corpus, ids, seed, masking, noise), built -> {
            if (p != process.get() || !text.equals(passage.get()) || seed != 1_000_003L * draws.get() + 17) return; // a newer one is coming
            table = built;
            curves.set(List.of(scheduleCurve(built), expectedCurve(built)));
            show();
        }, e -> onError.accept("Corrupting the passage", e));
    }

    private static Curve scheduleCurve(TextCorruption c) {
        return curve(c.process().absorbing() ? "α_t (kept)" : "σ̄(t) / 20", 0, t -> c.process().absorbing() ? c.schedule(t)
                : c.schedule(t) / 20);
    }

    private static Curve expectedCurve(TextCorruption c) {
        return curve("expected fraction corrupted", 1, c::expected);
    }

    private static Curve curve(String name, int colour, java.util.function.DoubleUnaryOperator f) {
        int n = TextCorruption.FRAMES + 1;
        double[] x = new double[n], y = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = TextCorruption.time(k);
            y[k] = f.applyAsDouble(x[k]);
        }
        return new Curve(name, colour, x, y);
    }

    private void show() {
        TextCorruption c = table;
        TextCorpus corpus = models.corpusProperty().get();
        if (c == null || corpus == null) return;
        int k = step.get();
        double t = TextCorruption.time(k);
        cells.set(TextCells.forward(corpus, c, k));
        timeText.set(Format.number(t));
        scheduleText.set((c.process().absorbing() ? "α_t = " : "σ̄(t) = ") + Format.number(c.schedule(t)));
        expectedText.set(percent(c.expected(t)));
        actualText.set(percent(c.corrupted(k)));
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * f);
    }

    // --- playback: t from 0 to 1
    @Override public void stepBy(int delta) {
        playing.set(false);
        step.set(Math.max(0, Math.min(TextCorruption.FRAMES, step.get() + delta)));
    }

    @Override public void toStart() {
        playing.set(false);
        step.set(0);
    }

    @Override public void toEnd() {
        playing.set(false);
        step.set(TextCorruption.FRAMES);
    }

    @Override public void togglePlay() {
        if (!playing.get() && step.get() >= TextCorruption.FRAMES) step.set(0);
        playing.set(!playing.get());
    }

    @Override public void advance(double seconds) {
        if (!playing.get()) return;
        pending += seconds * TextCorruption.FRAMES / PLAY_SECONDS;
        int whole = (int) pending;
        pending -= whole;
        step.set(Math.min(TextCorruption.FRAMES, step.get() + whole));
        if (step.get() >= TextCorruption.FRAMES) playing.set(false);
    }
}
