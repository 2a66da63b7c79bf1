package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.Playback;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * The 2-D sampler lab: a toy dataset's cloud scrubbed forward into noise, and up to four
 * samplers run in reverse on its exact denoiser from one x_T, replayed frame by frame with the
 * paths of a few points, x̂0 on demand, and each run's sliced-Wasserstein distance and NFE.
 * Changing a setting cancels the run in progress and starts a new one.
 */
public final class LabModel implements Playback {

    public enum Mode { FORWARD, REVERSE }

    public static final int LANES = 4;
    public static final int MAX_STEPS = 250;
    /** How many points get their path drawn. */
    static final int PATHS = 12;
    static final double PLAY_SECONDS = 4.0;

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ObjectProperty<ToyDataset> dataset = new SimpleObjectProperty<>(this, "dataset", ToyDataset.RING8);
    private final ObjectProperty<ScheduleKind> schedule = new SimpleObjectProperty<>(this, "schedule", ScheduleKind.DDPM);
    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.REVERSE);
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 20);
    private final ObjectProperty<Spacing> spacing = new SimpleObjectProperty<>(this, "spacing", Spacing.LOGSNR);
    private final DoubleProperty eta = new SimpleDoubleProperty(this, "eta", 0);
    private final IntegerProperty order = new SimpleIntegerProperty(this, "order", SamplerOptions.defaults().order());
    private final List<ObjectProperty<SamplerKind>> samplers = new ArrayList<>();
    private final List<ObjectProperty<LaneProcess>> processes = new ArrayList<>();
    /** The reflowed flow of each dataset trained so far (half a minute each; kept for the session). */
    private final Map<ToyDataset, Denoiser> reflowed = new ConcurrentHashMap<>();
    private final ReadOnlyObjectWrapper<String> reflowStatus = new ReadOnlyObjectWrapper<>(this, "reflowStatus", "");
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty forwardStep = new SimpleIntegerProperty(this, "forwardStep", 0);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final ReadOnlyIntegerWrapper lastFrame = new ReadOnlyIntegerWrapper(this, "lastFrame", 0);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");
    private final BooleanProperty showPredX0 = new SimpleBooleanProperty(this, "showPredX0");
    private final BooleanProperty showPaths = new SimpleBooleanProperty(this, "showPaths", true);
    private final ReadOnlyObjectWrapper<LabRun.Data> data = new ReadOnlyObjectWrapper<>(this, "data");
    private final ReadOnlyObjectWrapper<List<LabRun.Lane>> lanes = new ReadOnlyObjectWrapper<>(this, "lanes", List.of());
    private final ReadOnlyObjectWrapper<float[]> forwardPoints = new ReadOnlyObjectWrapper<>(this, "forwardPoints");
    private final List<LaneView> laneViews = new ArrayList<>();
    private final Convergence convergence;

    private AtomicBoolean running = new AtomicBoolean();
    private List<Object> convergenceSettings = List.of();
    /** Set when the convergence job in flight no longer matches the settings (the step count does not count). */
    private AtomicBoolean convergenceToken = new AtomicBoolean();
    private double pendingFrames;
    private boolean runInFlight;
    private int frameAfterRun = -1;

    public LabModel(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
        this.convergence = new Convergence(jobs, onError);
        // three diffusion samplers and, beside them, RK4 on the exact flow from the same x_T
        SamplerKind[] defaults = {SamplerKind.DDPM, SamplerKind.DDIM, SamplerKind.DPM_SOLVER_PP, SamplerKind.RK4};
        LaneProcess[] defaultProcesses = {LaneProcess.DIFFUSION, LaneProcess.DIFFUSION, LaneProcess.DIFFUSION, LaneProcess.FLOW};
        for (int i = 0; i < LANES; i++) {
            ObjectProperty<SamplerKind> p = new SimpleObjectProperty<>(this, "sampler" + i, defaults[i]);
            p.addListener(o -> rerun());
            samplers.add(p);
            ObjectProperty<LaneProcess> process = new SimpleObjectProperty<>(this, "process" + i, defaultProcesses[i]);
            process.addListener(o -> rerun());
            processes.add(process);
            laneViews.add(new LaneView());
        }
        dataset.addListener(o -> reload());
        seed.addListener(o -> reload());
        for (Observable p : new Observable[] {schedule, steps, spacing, eta, order}) p.addListener(o -> rerun());
        forwardStep.addListener(o -> updateForward());
        schedule.addListener(o -> updateForward());
        for (Observable p : new Observable[] {frame, showPredX0, showPaths, lanes}) p.addListener(o -> updateLanes());
    }

    // --- inputs
    public ObjectProperty<ToyDataset> datasetProperty() { return dataset; }
    public ObjectProperty<ScheduleKind> scheduleProperty() { return schedule; }
    public ObjectProperty<Mode> modeProperty() { return mode; }
    /** Sampling steps of every lane, 1…{@link #MAX_STEPS}. */
    public IntegerProperty stepsProperty() { return steps; }
    public ObjectProperty<Spacing> spacingProperty() { return spacing; }
    /** DDIM's η (the other samplers ignore it). */
    public DoubleProperty etaProperty() { return eta; }
    /** DPM-Solver's order, 1–3 (the other samplers ignore it). */
    public IntegerProperty orderProperty() { return order; }
    /** Lane i's sampler, or null when the lane is off. */
    public ObjectProperty<SamplerKind> samplerProperty(int lane) { return samplers.get(lane); }
    /** What lane i samples: the diffusion model, the exact flow or the reflowed flow (trained on first use). */
    public ObjectProperty<LaneProcess> processProperty(int lane) { return processes.get(lane); }
    /** "Training the reflowed flow of ring8… 40 %" while it trains, else "". */
    public ReadOnlyObjectProperty<String> reflowStatusProperty() { return reflowStatus.getReadOnlyProperty(); }
    public IntegerProperty seedProperty() { return seed; }
    /** Forward mode: t as a step in [0, T]. */
    public IntegerProperty forwardStepProperty() { return forwardStep; }
    /** Reverse mode: frame k = after k sampling steps, 0…steps. */
    public IntegerProperty frameProperty() { return frame; }
    public BooleanProperty showPredX0Property() { return showPredX0; }
    public BooleanProperty showPathsProperty() { return showPaths; }
    @Override public BooleanProperty playingProperty() { return playing; }

    // --- outputs
    public ReadOnlyIntegerProperty lastFrameProperty() { return lastFrame.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<LabRun.Data> dataProperty() { return data.getReadOnlyProperty(); }
    /** The finished runs, one per active lane, in lane order. */
    public ReadOnlyObjectProperty<List<LabRun.Lane>> lanesProperty() { return lanes.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<float[]> forwardPointsProperty() { return forwardPoints.getReadOnlyProperty(); }
    /** What lane i shows at the current frame. */
    public LaneView lane(int i) { return laneViews.get(i); }
    public Convergence convergence() { return convergence; }
    public NoiseSchedule noiseSchedule() { return schedule.get().create(); }

    // --- commands
    /** Samples the dataset (if not yet) and runs the samplers. */
    public void start() {
        if (data.get() == null) reload();
    }

    /**
     * Shows frame {@code k} (paused) once the run in progress has finished, or at once when none
     * is: a scenario restoring the timeline.
     */
    public void showFrameAfterRun(int k) {
        frameAfterRun = k;
        if (!runInFlight && data.get() != null) applyFrameAfterRun();
    }

    private void applyFrameAfterRun() {
        if (frameAfterRun < 0) return;
        playing.set(false);
        frame.set(Math.min(frameAfterRun, lastFrame.get()));
        frameAfterRun = -1;
    }

    /** A new x_T and data sample. */
    public void newSeed() { seed.set(seed.get() + 1); }

    /**
     * Runs every active sampler at 5…100 steps and charts its error against NFE. Runs by itself
     * after a reverse run whose settings (other than the step count) the chart does not show yet.
     */
    public void computeConvergence() {
        convergenceSettings = convergenceKey();
        convergenceToken.set(true);
        convergenceToken = new AtomicBoolean();
        AtomicBoolean token = convergenceToken;
        convergence.compute(new LabRun.Settings(dataset.get(), schedule.get(), spacing.get(), options(), 1, seed.get()),
                activeChoices(), reflowed.get(dataset.get()), token::get);
    }

    /** Everything the convergence chart depends on. */
    private List<Object> convergenceKey() {
        return List.of(dataset.get(), schedule.get(), spacing.get(), options(), activeChoices(), seed.get());
    }

    private void reload() {
        cancelRunning();
        ToyDataset d = dataset.get();
        long s = seed.get();
        AtomicBoolean token = running;
        runInFlight = true; // the run follows the data
        jobs.run("Sampling " + d.cliName(), () -> LabRun.data(d, s), loaded -> {
            if (token.get()) return;
            data.set(loaded);
            updateForward();
            rerun();
        }, e -> {
            runInFlight = false;
            onError.accept("Sampling the " + d.cliName() + " dataset", e);
        });
    }

    private void rerun() {
        LabRun.Data loaded = data.get();
        if (loaded == null) return;
        cancelRunning();
        AtomicBoolean token = running;
        int n = Math.max(1, Math.min(MAX_STEPS, steps.get()));
        LabRun.Settings settings = new LabRun.Settings(dataset.get(), schedule.get(), spacing.get(), options(), n, seed.get());
        List<LabRun.Choice> kinds = activeChoices();
        laneViews.forEach(v -> v.running(true));
        ToyDataset d = dataset.get();
        boolean needsReflow = kinds.stream().anyMatch(c -> c.process() == LaneProcess.REFLOW) && !reflowed.containsKey(d);
        runInFlight = true;
        jobs.run((needsReflow ? "Reflow, then sampling with " : "Sampling with ") + kinds.size() + " samplers", report -> {
            if (needsReflow) {
                Denoiser model = Reflowed.train(d, token::get, report::accept);
                if (model == null) return List.<LabRun.Lane>of();
                reflowed.put(d, model);
            }
            return LabRun.reverse(settings, loaded, kinds, reflowed.get(d), token::get);
        }, fraction -> {
            if (!token.get()) reflowStatus.set("Training the reflowed flow of %s… %.0f %%".formatted(d.cliName(), 100 * fraction));
        }, result -> {
            reflowStatus.set("");
            if (token.get()) return;
            runInFlight = false;
            lastFrame.set(n);
            lanes.set(List.copyOf(result));
            frame.set(0);
            playing.set(true); // watch the points flow from noise to data
            applyFrameAfterRun();
            if (!convergenceKey().equals(convergenceSettings)) computeConvergence();
        }, e -> {
            runInFlight = false;
            reflowStatus.set("");
            laneViews.forEach(v -> v.running(false));
            onError.accept("Sampling", e);
        });
    }

    private void cancelRunning() {
        if (!convergenceKey().equals(convergenceSettings)) {
            convergenceToken.set(true);
            convergence.clear();
            convergenceSettings = List.of();
        }
        running.set(true);
        running = new AtomicBoolean();
        playing.set(false);
    }

    private SamplerOptions options() {
        return SamplerOptions.defaults().withEta(Math.max(0, Math.min(1, eta.get()))).withOrder(Math.max(1, Math.min(3, order.get())));
    }

    /** The samplers of the lanes that are on, in lane order. */
    public List<SamplerKind> activeSamplers() {
        return samplers.stream().map(ObjectProperty::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The sampler and process of each lane that is on, in lane order. */
    public List<LabRun.Choice> activeChoices() {
        List<LabRun.Choice> out = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            SamplerKind k = samplers.get(i).get();
            LaneProcess p = processes.get(i).get();
            if (k != null) out.add(new LabRun.Choice(k, p == null ? LaneProcess.DIFFUSION : p));
        }
        return out;
    }

    private void updateForward() {
        LabRun.Data d = data.get();
        if (d == null) return;
        NoiseSchedule s = schedule.get().create();
        double t = (double) forwardStep.get() / s.steps();
        float a = (float) s.alpha(t), sigma = (float) s.sigma(t);
        float[] x = new float[d.x0().length];
        for (int i = 0; i < x.length; i++) x[i] = a * d.x0()[i] + sigma * d.eps()[i];
        forwardPoints.set(x);
    }

    private void updateLanes() {
        List<LabRun.Lane> done = lanes.get();
        int k = Math.max(0, Math.min(frame.get(), lastFrame.get()));
        int next = 0;
        for (int i = 0; i < LANES; i++) {
            LaneView view = laneViews.get(i);
            if (samplers.get(i).get() == null || next >= done.size()) {
                view.clear(samplers.get(i).get() == null);
                continue;
            }
            view.show(done.get(next++), k, showPredX0.get(), showPaths.get() ? PATHS : 0);
        }
    }

    // --- playback: the forward step or the reverse frame, by mode
    private IntegerProperty timeline() { return mode.get() == Mode.FORWARD ? forwardStep : frame; }

    private int timelineEnd() { return mode.get() == Mode.FORWARD ? schedule.get().create().steps() : lastFrame.get(); }

    @Override public void stepBy(int delta) {
        playing.set(false);
        timeline().set(Math.max(0, Math.min(timelineEnd(), timeline().get() + delta)));
    }

    @Override public void toStart() {
        playing.set(false);
        timeline().set(0);
    }

    @Override public void toEnd() {
        playing.set(false);
        timeline().set(timelineEnd());
    }

    @Override public void togglePlay() {
        if (!playing.get() && timeline().get() >= timelineEnd()) timeline().set(0);
        playing.set(!playing.get());
    }

    @Override public void advance(double seconds) {
        if (!playing.get()) return;
        int end = timelineEnd();
        // reverse runs have few frames: play them at ≥ 6 frames a second so each step is seen
        double rate = mode.get() == Mode.FORWARD ? end / PLAY_SECONDS : Math.min(end / 2.0, Math.max(6, end / PLAY_SECONDS));
        pendingFrames += seconds * rate;
        int whole = (int) pendingFrames;
        pendingFrames -= whole;
        int next = Math.min(end, timeline().get() + whole);
        timeline().set(next);
        if (next >= end) playing.set(false);
    }
}
