package org.diffusionplayground.app.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.train.TrainStep;
import org.diffusionplayground.viz.Curve;

/**
 * What the Train page shows of a run: read-outs of the newest step, the loss curves (redrawn at
 * most every {@value #CHART_MILLIS} ms, and whenever the run pauses or ends) and the preview of
 * the newest checkpoint — digits, or for a text run a text sample and the validation bound in
 * bits/char, which joins the chart as a curve of its own. Lives on the UI thread; fed by
 * {@link TrainFeed} batches.
 */
public final class TrainProgress {

    static final long CHART_MILLIS = 100;
    private static final String NONE = "—";

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyIntegerWrapper step = new ReadOnlyIntegerWrapper(this, "step");
    private final ReadOnlyIntegerWrapper totalSteps = new ReadOnlyIntegerWrapper(this, "totalSteps");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", NONE);
    private final ReadOnlyStringWrapper lossText = new ReadOnlyStringWrapper(this, "lossText", NONE);
    private final ReadOnlyStringWrapper smoothedText = new ReadOnlyStringWrapper(this, "smoothedText", NONE);
    private final ReadOnlyStringWrapper rateText = new ReadOnlyStringWrapper(this, "rateText", NONE);
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper(this, "speedText", NONE);
    private final ReadOnlyStringWrapper etaText = new ReadOnlyStringWrapper(this, "etaText", NONE);
    private final ReadOnlyStringWrapper checkpointText = new ReadOnlyStringWrapper(this, "checkpointText", NONE);
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyIntegerWrapper curvesShown = new ReadOnlyIntegerWrapper(this, "curvesShown");
    private final ReadOnlyObjectWrapper<float[]> preview = new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyStringWrapper previewText = new ReadOnlyStringWrapper(this, "previewText", "");
    private final ReadOnlyStringWrapper sample = new ReadOnlyStringWrapper(this, "sample");
    private final ReadOnlyStringWrapper validationText = new ReadOnlyStringWrapper(this, "validationText", "");
    private final java.util.TreeMap<Integer, Double> validation = new java.util.TreeMap<>(); // step → bound, nats/char
    private LossHistory history = new LossHistory();
    private boolean text;
    private long lastDrawn = Long.MIN_VALUE / 2;
    private boolean previewBusy;
    private Path previewAgain;
    private boolean previewAgainText;
    private Path previewWanted; // the run folder asked for last; results for others are dropped

    TrainProgress(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
    }

    /** Steps completed. */
    public ReadOnlyIntegerProperty stepProperty() { return step.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty totalStepsProperty() { return totalSteps.getReadOnlyProperty(); }
    /** step / total, for a progress bar. */
    public ReadOnlyDoubleProperty fractionProperty() { return fraction.getReadOnlyProperty(); }
    /** "1,200 / 4,000". */
    public ReadOnlyStringProperty stepTextProperty() { return stepText.getReadOnlyProperty(); }
    /** The newest step's loss. */
    public ReadOnlyStringProperty lossTextProperty() { return lossText.getReadOnlyProperty(); }
    /** The loss smoothed over about 20 steps (see {@link LossHistory}). */
    public ReadOnlyStringProperty smoothedTextProperty() { return smoothedText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty rateTextProperty() { return rateText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty speedTextProperty() { return speedText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty etaTextProperty() { return etaText.getReadOnlyProperty(); }
    /** "ckpt-0000400.dpck · step 400". */
    public ReadOnlyStringProperty checkpointTextProperty() { return checkpointText.getReadOnlyProperty(); }
    /** Raw and smoothed loss against step. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    /** The last step the drawn curves reach. */
    public ReadOnlyIntegerProperty curvesShownProperty() { return curvesShown.getReadOnlyProperty(); }
    /** A text run's sample from the newest checkpoint, or null (an image run, or before the first checkpoint). */
    public ReadOnlyStringProperty sampleProperty() { return sample.getReadOnlyProperty(); }
    /** A text run's validation bound, e.g. "2.314 bits/char at step 400"; "" for an image run. */
    public ReadOnlyStringProperty validationTextProperty() { return validationText.getReadOnlyProperty(); }
    /** One sample per class [K·28·28] in [−1, 1], or null before the first checkpoint. */
    public ReadOnlyObjectProperty<float[]> previewProperty() { return preview.getReadOnlyProperty(); }
    public ReadOnlyStringProperty previewTextProperty() { return previewText.getReadOnlyProperty(); }

    /** Shows a run (a text run when {@code textRun}) from {@code history} (empty for a new run) at {@code at} of {@code total} steps. */
    void show(LossHistory from, int at, int total, String checkpoint, boolean textRun) {
        text = textRun;
        checkpointText.set(checkpoint == null ? NONE : checkpoint);
        history = from;
        step.set(at);
        totalSteps.set(total);
        fraction.set(total == 0 ? 0 : (double) at / total);
        stepText.set("%,d / %,d".formatted(at, total));
        boolean some = from.size() > 0;
        lossText.set(some ? Format.number(from.last()) : NONE); // a stopped or resumed run keeps its last loss
        smoothedText.set(some ? Format.number(from.smoothedLast()) : NONE);
        rateText.set(NONE);
        speedText.set(NONE);
        etaText.set(NONE);
        draw();
    }

    /** Takes a batch of reports; {@code drawNow} forces the chart (paused or stopping). */
    void accept(TrainFeed.Batch batch, boolean drawNow, Consumer<TrainFeed.Saved> onCheckpoint) {
        TrainStep last = null;
        for (TrainStep s : batch.steps()) {
            history.add(s.step(), s.loss());
            last = s;
        }
        if (last != null) {
            step.set(last.step());
            totalSteps.set(last.totalSteps());
            fraction.set((double) last.step() / last.totalSteps());
            stepText.set("%,d / %,d".formatted(last.step(), last.totalSteps()));
            lossText.set(Format.number(last.loss()));
            smoothedText.set(Format.number(history.smoothedLast()));
            rateText.set(String.format(Locale.ROOT, "%.2e", last.learningRate()));
            speedText.set(String.format(Locale.ROOT, text ? "%.1f seq/s" : "%.0f img/s", last.imagesPerSec()));
            etaText.set(duration(last.eta()));
        }
        for (TrainFeed.Saved saved : batch.checkpoints()) {
            checkpointText.set(checkpointText(saved.file(), saved.step()));
            onCheckpoint.accept(saved);
        }
        if (drawNow || System.nanoTime() - lastDrawn >= CHART_MILLIS * 1_000_000) draw();
    }

    static String checkpointText(Path file, int at) {
        return "%s · step %,d".formatted(file.getFileName(), at);
    }

    /** Shows no run: empty chart, no read-outs, no preview. */
    void reset() {
        show(new LossHistory(), 0, 0, null, false);
        stepText.set(NONE);
        clearPreview();
    }

    /** Forgets the preview (another run is shown). */
    void clearPreview() {
        previewWanted = null;
        previewAgain = null;
        preview.set(null);
        previewText.set("");
        sample.set(null);
        validation.clear();
        validationText.set("");
    }

    /** The run ended: the chart catches up, the ETA goes. */
    void end() {
        draw();
        etaText.set(NONE);
    }

    private void draw() {
        lastDrawn = System.nanoTime();
        curves.set(validation.isEmpty() ? history.curves() : withValidation(history.curves()));
        curvesShown.set(history.lastStep());
    }

    /** The validation bounds in nats/char (the loss's unit), drawn on top with a marker at each checkpoint. */
    private List<Curve> withValidation(List<Curve> loss) {
        double[] x = new double[validation.size()], y = new double[validation.size()];
        int k = 0;
        for (var e : validation.entrySet()) {
            x[k] = e.getKey();
            y[k++] = e.getValue();
        }
        List<Curve> all = new java.util.ArrayList<>();
        all.add(new Curve(VALIDATION, VALIDATION_COLOUR, x, y, x, y));
        all.addAll(loss);
        return List.copyOf(all);
    }

    /** The name and palette index of the validation curve. */
    static final String VALIDATION = "validation";
    static final int VALIDATION_COLOUR = 3;

    /**
     * Samples a preview from the run folder's model as an app job — digits ({@link PreviewSampler}),
     * or a text sample with its validation bound ({@link TextPreview}); while one is being sampled,
     * the newest request waits and runs after it (older ones are dropped).
     */
    void requestPreview(Path runFolder, boolean textRun) {
        previewWanted = runFolder;
        if (previewBusy) {
            previewAgain = runFolder;
            previewAgainText = textRun;
            return;
        }
        previewBusy = true;
        if (textRun) {
            previewText.set("sampling a preview and measuring bits/char…");
            jobs.run("Sampling the training preview", () -> TextPreview.sample(runFolder), p -> previewed(runFolder, () -> showText(p)),
                    e -> previewFailed(runFolder, e));
        } else {
            previewText.set("sampling a preview…");
            jobs.run("Sampling the training preview", () -> PreviewSampler.sample(runFolder), p -> previewed(runFolder, () -> {
                preview.set(p.images());
                previewText.set("step %,d · EMA weights · DPM-Solver++ %d steps · w = %s".formatted(p.step(), PreviewSampler.STEPS,
                        java.math.BigDecimal.valueOf(PreviewSampler.GUIDANCE).stripTrailingZeros().toPlainString()));
            }), e -> previewFailed(runFolder, e));
        }
    }

    private void showText(TextPreview.Preview p) {
        sample.set(p.text());
        previewText.set("step %,d · EMA weights · %d characters · %s, %d steps".formatted(p.step(), p.length(), p.sampler(),
                TextPreview.STEPS));
        validation.put(p.step(), p.natsPerChar());
        validationText.set(String.format(Locale.ROOT, "%.3f bits/char at step %,d (%d windows)", p.bitsPerChar(), p.step(), p.windows()));
        draw();
    }

    private void previewed(Path runFolder, Runnable show) {
        if (runFolder.equals(previewWanted)) show.run();
        previewDone();
    }

    private void previewFailed(Path runFolder, Throwable e) {
        if (runFolder.equals(previewWanted)) {
            previewText.set("preview failed");
            onError.accept("Sampling the training preview", e);
        }
        previewDone();
    }

    private void previewDone() {
        previewBusy = false;
        Path next = previewAgain;
        previewAgain = null;
        if (next != null) requestPreview(next, previewAgainText);
    }

    /** "1 h 02 min", "12 min 05 s", "45 s". */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) return "%d h %02d min".formatted(s / 3600, s / 60 % 60);
        if (s >= 60) return "%d min %02d s".formatted(s / 60, s % 60);
        return s + " s";
    }
}
