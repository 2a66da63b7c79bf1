package org.diffusionplayground.app.compare;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.X0Clip;

/**
 * The Compare page: DDPM, DDIM, DPM-Solver++, Euler and Heun from one x_T (same seed, same
 * guidance and class), each with its final images, an x̂0 filmstrip and its NFE and time. The
 * lanes appear as they finish; a setting change cancels the comparison and starts a new one.
 * The network is the app's shared {@link ImageModel} (chosen with the Reverse page's picker).
 */
public final class CompareModel {

    public static final List<SamplerKind> SAMPLERS = List.of(SamplerKind.DDPM, SamplerKind.DDIM,
            SamplerKind.DPM_SOLVER_PP, SamplerKind.EULER, SamplerKind.HEUN);
    /** Frames in a filmstrip, evenly spaced from x_T to the end. */
    public static final int FILM = 6;
    /** The grid's side: GRID² images per sampler. */
    public static final int GRID = 2;

    /**
     * One sampler's result.
     *
     * @param images    the final images, GRID² × 28 × 28
     * @param filmstrip row i = image i's x̂0 at the frames {@code filmFrames}, FILM per row
     */
    public record Lane(SamplerKind sampler, float[] images, float[] filmstrip, int[] filmFrames, int nfe, double millis) {
        public String summary() {
            return String.format(Locale.ROOT, "NFE %d · %.2f s", nfe, millis / 1e3);
        }
    }

    private final Jobs jobs;
    private final ImageModel images;
    private final ReadOnlyObjectProperty<Network> network;
    private final BiConsumer<String, Throwable> onError;
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 20);
    private final DoubleProperty guidance = new SimpleDoubleProperty(this, "guidance", 3);
    private final IntegerProperty label = new SimpleIntegerProperty(this, "label", ReverseRun.EACH_CLASS);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty qualityDigits = new SimpleIntegerProperty(this, "qualityDigits",
            Quality.DIGITS.get(Quality.DIGITS.size() - 1));
    private final ReadOnlyObjectWrapper<List<Lane>> lanes = new ReadOnlyObjectWrapper<>(this, "lanes", List.of());
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final javafx.beans.value.ObservableObjectValue<MnistDataset> dataset;
    private final Quality quality;
    private AtomicBoolean running = new AtomicBoolean();
    private boolean started;

    /**
     * @param images  the app's current image model, which this page samples
     * @param dataset the bundled MNIST subset (the quality's real digits), null until loaded
     */
    public CompareModel(Jobs jobs, ImageModel images,
                        javafx.beans.value.ObservableObjectValue<MnistDataset> dataset, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.dataset = dataset;
        this.quality = new Quality(jobs, onError);
        this.images = images;
        this.network = images.networkProperty();
        this.onError = onError;
        for (Observable p : new Observable[] {steps, guidance, label, seed, network}) p.addListener(o -> rerun());
    }

    /** Sampling steps of every sampler, 1…1000. */
    public IntegerProperty stepsProperty() { return steps; }
    public DoubleProperty guidanceProperty() { return guidance; }
    public IntegerProperty labelProperty() { return label; }
    public IntegerProperty seedProperty() { return seed; }
    /** The finished lanes, in {@link #SAMPLERS} order. */
    public ReadOnlyObjectProperty<List<Lane>> lanesProperty() { return lanes.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Network> networkProperty() { return network; }
    /** FID-lite against NFE, on demand ({@link #computeQuality}). */
    public Quality quality() { return quality; }

    /** Digits per setting for FID-lite, one of {@link Quality#DIGITS}. */
    public IntegerProperty qualityDigitsProperty() { return qualityDigits; }

    /** Computes FID-lite of every sampler at {@link Quality#STEPS} steps on {@link #qualityDigitsProperty()} digits. */
    public void computeQuality() {
        computeQuality(qualityDigits.get());
    }

    /** Computes FID-lite of every sampler at {@link Quality#STEPS} steps on {@code n} digits at the page's guidance. */
    public void computeQuality(int n) {
        Network net = network.get();
        MnistDataset data = dataset.get();
        if (net == null || data == null) {
            onError.accept("Computing FID-lite", new IllegalStateException(
                    (net == null ? "the model" : "the MNIST subset") + " is still loading; try again in a moment"));
            return;
        }
        quality.compute(net, data, guidanceUsed(), seed.get(), n);
    }

    private double guidanceUsed() {
        return Math.round(Math.max(0, Math.min(10, guidance.get())) * 10) / 10.0;
    }

    /** Loads the network if needed and runs the comparison (on first visit). */
    public void start() {
        if (started) return;
        started = true;
        if (network.get() == null) images.ensureLoaded();
        else rerun();
    }

    public void newSeed() { seed.set(seed.get() + 1); }

    private void rerun() {
        Network net = network.get();
        if (!started || net == null) return;
        quality.keepIf(net, guidanceUsed(), seed.get()); // FID-lite does not depend on the steps or the class
        running.set(true);
        running = new AtomicBoolean();
        AtomicBoolean token = running;
        int n = Math.max(1, Math.min(1000, steps.get()));
        double w = guidanceUsed();
        int k = label.get() >= net.denoiser().numClasses() ? ReverseRun.EACH_CLASS : label.get();
        long s = seed.get();
        List<Lane> done = new CopyOnWriteArrayList<>();
        lanes.set(List.of());
        computing.set(true);
        progress.set(0);
        jobs.run("Comparing %d samplers".formatted(SAMPLERS.size()), report -> {
            for (int i = 0; i < SAMPLERS.size() && !token.get(); i++) {
                SamplerKind kind = SAMPLERS.get(i);
                var recipe = new SamplerRun(kind, SamplerOptions.defaults(), Spacing.LOGSNR, n, w, X0Clip.NONE);
                var settings = new ReverseRun.Settings(recipe, k, s, GRID);
                Recording rec = new Recording(n, settings.count());
                int lane = i;
                ReverseRun.run(settings, net.denoiser(), rec, f -> report.accept((lane + f) / SAMPLERS.size()), token::get);
                if (!rec.complete()) break;
                done.add(lane(kind, rec));
                report.accept((lane + 1.0) / SAMPLERS.size());
            }
            return List.copyOf(done);
        }, fraction -> {
            if (token.get()) return;
            progress.set(fraction);
            if (done.size() != lanes.get().size()) lanes.set(List.copyOf(done));
        }, result -> {
            if (token.get()) return;
            computing.set(false);
            progress.set(1);
            lanes.set(result);
        }, e -> {
            if (token.get()) return;
            computing.set(false);
            onError.accept("Comparing the samplers", e);
        });
    }

    /**
     * The run's final images and the x̂0 filmstrip of each image at {@link #FILM} evenly spaced
     * recorded frames; {@code filmFrames} are their sampling steps.
     */
    static Lane lane(SamplerKind kind, Recording rec) {
        int last = rec.frames() - 1, count = rec.count(), tile = 28 * 28;
        int[] steps = new int[FILM];
        float[] film = new float[count * FILM * tile];
        for (int j = 0; j < FILM; j++) {
            int frame = (int) Math.round((double) j * last / (FILM - 1));
            steps[j] = rec.stepOf(frame);
            float[] x0 = rec.predX0(frame);
            for (int i = 0; i < count; i++) System.arraycopy(x0, i * tile, film, (i * FILM + j) * tile, tile);
        }
        return new Lane(kind, rec.x(last), film, steps, rec.nfe(last), rec.millis(last));
    }
}
