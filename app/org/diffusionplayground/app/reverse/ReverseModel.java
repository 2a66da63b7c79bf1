package org.diffusionplayground.app.reverse;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
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
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.Playback;
import org.diffusionplayground.app.PlaygroundApp;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.app.imagemodel.SamplerNotes;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.X0Clip;

/**
 * The Reverse page: a trained image model turns x_T into digits step by step. Every setting
 * change cancels the run in progress (it stops before its next step; a run that has not started
 * does no work) and starts a new one from the same x_T, whose frames appear as they complete;
 * the timeline scrubs back through every recorded frame. The network is the app's shared
 * {@link ImageModel}, loaded on the page's first visit; a new one restarts the run.
 *
 * <p>A flow-matching model (velocity output on the linear interpolant) is sampled like a diffusion
 * model, through its α and σ; the page offers it {@link SamplerKind#FLOW} (its integrators in t and
 * the α/σ samplers). When the model's family changes, the sampler and the spacing follow it if they
 * are still the other family's defaults (DPM-Solver++ on log-SNR steps, Euler on uniform steps in
 * t); a sampler or spacing chosen by hand stays where the new family offers it.
 */
public final class ReverseModel implements Playback {

    public static final int MAX_STEPS = 1000;
    public static final int MAX_GRID = 4;
    public static final double MAX_GUIDANCE = 10;
    /** What the page offers a diffusion model: every sampler (the integrators in t run on a VP path too). */
    public static final List<SamplerKind> DIFFUSION_SAMPLERS = List.of(SamplerKind.values());
    static final double PLAY_SECONDS = 4.0;

    private final Jobs jobs;
    private final ImageModel images;
    private final BiConsumer<String, Throwable> onError;
    private final ObjectProperty<SamplerKind> sampler = new SimpleObjectProperty<>(this, "sampler", SamplerKind.DPM_SOLVER_PP);
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 20);
    private final ObjectProperty<Spacing> spacing = new SimpleObjectProperty<>(this, "spacing", Spacing.LOGSNR);
    private final DoubleProperty eta = new SimpleDoubleProperty(this, "eta", 0);
    private final ObjectProperty<X0Clip> clip = new SimpleObjectProperty<>(this, "clip", X0Clip.NONE);
    private final DoubleProperty guidance = new SimpleDoubleProperty(this, "guidance", 3);
    private final IntegerProperty label = new SimpleIntegerProperty(this, "label", ReverseRun.EACH_CLASS);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty grid = new SimpleIntegerProperty(this, "grid", MAX_GRID);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final ReadOnlyBooleanWrapper sampling = new ReadOnlyBooleanWrapper(this, "sampling");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyIntegerWrapper lastFrame = new ReadOnlyIntegerWrapper(this, "lastFrame", 0);
    private final ReadOnlyObjectWrapper<float[]> xImages = new ReadOnlyObjectWrapper<>(this, "xImages");
    private final ReadOnlyObjectWrapper<float[]> predX0Images = new ReadOnlyObjectWrapper<>(this, "predX0Images");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "");
    private final ReadOnlyStringWrapper timeText = new ReadOnlyStringWrapper(this, "timeText", "");
    private final ReadOnlyStringWrapper nfeText = new ReadOnlyStringWrapper(this, "nfeText", "");
    private final ReadOnlyStringWrapper elapsedText = new ReadOnlyStringWrapper(this, "elapsedText", "");
    private final ReadOnlyStringWrapper caveat = new ReadOnlyStringWrapper(this, "caveat", "");
    private final ReadOnlyStringWrapper equation = new ReadOnlyStringWrapper(this, "equation", "");
    private final ReadOnlyObjectWrapper<PathFamily> family = new ReadOnlyObjectWrapper<>(this, "family", PathFamily.DIFFUSION);
    private final ReadOnlyObjectWrapper<List<SamplerKind>> samplers = new ReadOnlyObjectWrapper<>(this, "samplers",
            DIFFUSION_SAMPLERS);

    private AtomicBoolean running = new AtomicBoolean();
    private ReverseRun.Settings current;
    private Network sampled; // the network behind current
    private Recording recording;
    private boolean started;
    private double pendingFrames;
    private int frameAfterRun = -1;

    /** @param images the app's current image model, which this page samples */
    public ReverseModel(Jobs jobs, ImageModel images, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.images = images;
        this.onError = onError;
        for (Observable p : new Observable[] {sampler, steps, spacing, eta, clip, guidance, label, seed, grid}) p.addListener(o -> rerun());
        frame.addListener(o -> show());
        images.networkProperty().addListener((o, was, is) -> follow(is == null ? family.get() : is.family()));
        if (images.networkProperty().get() != null) follow(images.networkProperty().get().family());
        images.loadingProperty().addListener((o, was, is) -> {
            if (is) loadStarted();
            else loadFinished();
        });
    }

    // --- inputs
    public ObjectProperty<SamplerKind> samplerProperty() { return sampler; }
    /** Sampling steps, 1…{@link #MAX_STEPS}. */
    public IntegerProperty stepsProperty() { return steps; }
    public ObjectProperty<Spacing> spacingProperty() { return spacing; }
    /** DDIM's η in [0, 1] (the other samplers ignore it). */
    public DoubleProperty etaProperty() { return eta; }
    /** What happens to the model's x̂0 at every step: nothing, clipping to [−1, 1], or dynamic thresholding. */
    public ObjectProperty<X0Clip> clipProperty() { return clip; }
    /** Classifier-free guidance w in [0, {@link #MAX_GUIDANCE}], used to 0.1 (1 = none). */
    public DoubleProperty guidanceProperty() { return guidance; }
    /** A class, {@link ReverseRun#EACH_CLASS} or {@link ReverseRun#UNCONDITIONAL}. */
    public IntegerProperty labelProperty() { return label; }
    public IntegerProperty seedProperty() { return seed; }
    /** The grid's side, 1…{@link #MAX_GRID}. */
    public IntegerProperty gridProperty() { return grid; }
    /** Frame k of the recording, 0…{@link #lastFrameProperty()}: after k sampling steps (after k·stride when a long run keeps every stride-th step). */
    public IntegerProperty frameProperty() { return frame; }
    @Override public BooleanProperty playingProperty() { return playing; }

    // --- outputs
    public ReadOnlyObjectProperty<Network> networkProperty() { return images.networkProperty(); }
    /** The family of the model sampled: diffusion, or flow matching. */
    public ReadOnlyObjectProperty<PathFamily> familyProperty() { return family.getReadOnlyProperty(); }
    /** The samplers offered for this model: {@link #DIFFUSION_SAMPLERS}, or {@link SamplerKind#FLOW} for a flow model. */
    public ReadOnlyObjectProperty<List<SamplerKind>> samplersProperty() { return samplers.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty loadingProperty() { return images.loadingProperty(); }
    public ReadOnlyBooleanProperty samplingProperty() { return sampling.getReadOnlyProperty(); }
    /** Fraction of the run's steps done. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    /** The newest recorded frame. */
    public ReadOnlyIntegerProperty lastFrameProperty() { return lastFrame.getReadOnlyProperty(); }
    /** x_t at the shown frame, [N, 28, 28] packed, in [-1, 1]. */
    public ReadOnlyObjectProperty<float[]> xImagesProperty() { return xImages.getReadOnlyProperty(); }
    /** The model's x̂0 at the shown frame. */
    public ReadOnlyObjectProperty<float[]> predX0ImagesProperty() { return predX0Images.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stepTextProperty() { return stepText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty timeTextProperty() { return timeText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty nfeTextProperty() { return nfeText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty elapsedTextProperty() { return elapsedText.getReadOnlyProperty(); }
    /** Why the run's result looks as it does where it looks broken but is right ({@link SamplerNotes}), else "". */
    public ReadOnlyStringProperty caveatProperty() { return caveat.getReadOnlyProperty(); }
    /** The run shown (null before the first). */
    public Recording recording() { return recording; }
    /** The sampler's update at the frame shown and the guidance, every coefficient's value written in ({@link UpdateEquation}). */
    public ReadOnlyStringProperty equationProperty() { return equation.getReadOnlyProperty(); }

    // --- commands
    /** Samples with the current network, loading the shipped one first if none is loaded (the page's first visit). */
    public void start() {
        if (started) return;
        started = true;
        if (images.networkProperty().get() == null) images.ensureLoaded();
        else rerun();
    }

    /** How many times {@link #warmUp} samples the default grid (each ~0.5–1 s of two cores' work, less as the JIT compiles). */
    static final int WARM_UP_RUNS = 4;

    /**
     * Samples this page's default grid a few times on a background thread and throws the results
     * away, so that the JIT has compiled the sampling path before the user's first run: the app's
     * first runs of the guided grid took 1.16, 0.79, 0.71 and 0.70 s against ~0.45 s once warm
     * (Xvfb, 2026-12-03). Loads the shipped model first if none is loaded. Stops, between two
     * steps, as soon as {@code jobsSubmitted} moves: any job the user starts comes first. The app
     * calls it once its window is up.
     */
    public void warmUp(LongSupplier jobsSubmitted) {
        if (images.networkProperty().get() != null) {
            warmUp(images.networkProperty().get(), jobsSubmitted);
            return;
        }
        images.networkProperty().addListener(new ChangeListener<>() {
            @Override public void changed(ObservableValue<? extends Network> o, Network was, Network is) {
                o.removeListener(this);
                if (is != null) warmUp(is, jobsSubmitted);
            }
        });
        images.ensureLoaded();
    }

    private void warmUp(Network net, LongSupplier jobsSubmitted) {
        ReverseRun.Settings s = settings();
        long mark = jobsSubmitted.getAsLong();
        BooleanSupplier stop = () -> jobsSubmitted.getAsLong() != mark;
        Thread t = new Thread(() -> {
            for (int i = 0; i < WARM_UP_RUNS && !stop.getAsBoolean(); i++) {
                ReverseRun.run(s, net.denoiser(), new Recording(s.steps(), s.count()), done -> { }, stop);
            }
        }, "sampler warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Shows frame {@code k} once the run in progress (or the next one, if the page has not run yet)
     * has finished, or at once when the current run is complete: a scenario restoring the timeline.
     */
    public void showFrameAfterRun(int k) {
        frameAfterRun = k;
        if (!sampling.get() && !images.loadingProperty().get() && recording != null && recording.complete()) applyFrameAfterRun();
    }

    private void applyFrameAfterRun() {
        if (frameAfterRun < 0) return;
        frame.set(Math.min(frameAfterRun, lastFrame.get()));
        frameAfterRun = -1;
    }

    /** A new x_T. */
    public void newSeed() { seed.set(seed.get() + 1); }

    /** The samplers a family's models are offered. */
    public static List<SamplerKind> offered(PathFamily f) {
        return f == PathFamily.FLOW ? SamplerKind.FLOW : DIFFUSION_SAMPLERS;
    }

    /** The sampler a family's model starts on: DPM-Solver++ for diffusion, Euler in t (20 steps, 20 NFE) for flow. */
    public static SamplerKind home(PathFamily f) {
        return f == PathFamily.FLOW ? SamplerKind.EULER : SamplerKind.DPM_SOLVER_PP;
    }

    /** A network of {@code now}'s family: offer its samplers; settings left at the other family's defaults follow it. */
    private void follow(PathFamily now) {
        PathFamily before = family.get();
        samplers.set(offered(now));
        family.set(now);
        if (now == before) return;
        if (spacing.get() == before.defaultSpacing()) spacing.set(now.defaultSpacing());
        if (sampler.get() == home(before) || !offered(now).contains(sampler.get())) sampler.set(home(now));
    }

    /** A load began: stop sampling so it does not wait behind the run. */
    private void loadStarted() {
        cancelRunning();
        if (started) status.set("loading model…");
    }

    /** A new network restarts the run; after a failed load the previous network's run is finished or shown again. */
    private void loadFinished() {
        if (!started) return;
        Network net = images.networkProperty().get();
        status.set(net == null ? "no model" : "");
        if (net != sampled || recording == null || !recording.complete()) {
            current = null;
            rerun();
        } else {
            refresh();
        }
    }

    /** The settings as the controls say, clamped to their ranges. */
    ReverseRun.Settings settings() {
        Network n = images.networkProperty().get();
        int classes = n == null ? 0 : n.denoiser().numClasses();
        int k = label.get() >= classes && classes > 0 ? ReverseRun.EACH_CLASS : label.get();
        int maxSteps = n == null ? MAX_STEPS : Math.min(MAX_STEPS, n.denoiser().schedule().steps());
        SamplerOptions options = SamplerOptions.defaults().withEta(clamp(eta.get(), 0, 1));
        double w = Math.round(clamp(guidance.get(), 0, MAX_GUIDANCE) * 10) / 10.0;
        var recipe = new SamplerRun(sampler.get() == null ? SamplerKind.DPM_SOLVER_PP : sampler.get(), options,
                spacing.get() == null ? Spacing.LOGSNR : spacing.get(), (int) clamp(steps.get(), 1, maxSteps), w,
                clip.get() == null ? X0Clip.NONE : clip.get());
        return new ReverseRun.Settings(recipe, k, seed.get(), (int) clamp(grid.get(), 1, MAX_GRID));
    }

    private void rerun() {
        Network net = images.networkProperty().get();
        if (!started || net == null || images.loadingProperty().get()) return;
        ReverseRun.Settings s = settings();
        if (s.equals(current)) return; // e.g. the guidance slider moved by less than 0.1
        cancelRunning();
        current = s;
        sampled = net;
        caveat.set(SamplerNotes.fewSteps(s.recipe().sampler(), s.steps()));
        Recording rec = new Recording(s.steps(), s.count());
        recording = rec;
        AtomicBoolean token = running;
        sampling.set(true);
        progress.set(0);
        lastFrame.set(0);
        frame.set(0);
        status.set("sampling…");
        String title = "Sampling %d images with %s".formatted(s.count(), s.recipe().sampler().cliName());
        jobs.run(title, done -> {
            ReverseRun.run(s, net.denoiser(), rec, done, token::get);
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
            applyFrameAfterRun();
            if (Boolean.getBoolean(PlaygroundApp.TIMING_PROPERTY)) System.out.println("reverse run: " + status.get());
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
        Recording rec = recording;
        if (rec == null || rec.frames() == 0) return;
        int previous = lastFrame.get();
        lastFrame.set(rec.frames() - 1);
        if (frame.get() == previous && !playing.get()) frame.set(lastFrame.get());
        show();
        int last = rec.frames() - 1;
        String kept = rec.stride() == 1 ? "" : " · frames every %d steps (memory)".formatted(rec.stride());
        status.set((rec.complete() ? String.format(Locale.ROOT, "done: %d steps, NFE %d, %.2f s", rec.steps(), rec.nfe(last),
                rec.millis(last) / 1e3) : "sampling step %d / %d…".formatted(rec.stepOf(last), rec.steps())) + kept);
    }

    private void show() {
        Recording rec = recording;
        if (rec == null || rec.frames() == 0) return;
        int k = Math.max(0, Math.min(frame.get(), rec.frames() - 1));
        xImages.set(rec.x(k));
        predX0Images.set(rec.predX0(k));
        stepText.set("%d / %d".formatted(rec.stepOf(k), rec.steps()));
        timeText.set(Format.number(rec.t(k)));
        nfeText.set(Integer.toString(rec.nfe(k)));
        elapsedText.set(String.format(Locale.ROOT, "%.2f s", rec.millis(k) / 1e3));
        equation.set(equationAt(rec, k));
    }

    /** The step out of frame k (into it, at the last frame), or "" when frames skip steps or no step is recorded yet. */
    private String equationAt(Recording rec, int k) {
        ReverseRun.Settings s = current;
        Network net = sampled;
        if (s == null || net == null || rec.stride() != 1 || rec.frames() < 2) return "";
        int from = Math.min(k, rec.frames() - 2);
        var path = net.denoiser().schedule();
        double before = from == 0 ? Double.NaN : rec.t(from - 1);
        boolean conditional = s.label() != ReverseRun.UNCONDITIONAL && net.denoiser().numClasses() > 0;
        return UpdateEquation.update(s.recipe().sampler(), path, rec.t(from), rec.t(from + 1), before, s.recipe().options().eta())
                + "\n" + UpdateEquation.guidance(s.recipe().guidance(), conditional, net.denoiser().parameterization());
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
        pendingFrames += seconds * Math.min(Math.max(end, 1) / 2.0, Math.max(6, end / PLAY_SECONDS));
        int whole = (int) pendingFrames;
        pendingFrames -= whole;
        int next = Math.min(end, frame.get() + whole);
        frame.set(next);
        if (next >= end) playing.set(false);
    }
}
