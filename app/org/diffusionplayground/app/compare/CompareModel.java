package org.diffusionplayground.app.compare;

import java.io.FileNotFoundException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.app.Failures;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * The Compare page: columns ({@link Contender}s) from one x_T (same seed, same guidance and class),
 * each with its final images, an x̂0 filmstrip and its NFE and time. {@link Comparison#SAMPLERS}:
 * five samplers on the current model at the page's steps. {@link Comparison#DIFFUSION_VS_FLOW}: the
 * diffusion model beside the flow model, every column at the page's NFE; the current model takes
 * its family's side and the shipped model of the other family the other (loaded once), and where
 * that is missing — the flow model before its run — the page says where it comes from
 * ({@link #unavailableProperty()}) instead of running. The lanes appear as they finish; a setting
 * change cancels the comparison and starts a new one. The current model is the app's shared
 * {@link ImageModel} (chosen with the Reverse page's picker).
 */
public final class CompareModel {

    /** The samplers of the comparison on a diffusion model (see {@link Contender#lineup}). */
    public static final List<SamplerKind> SAMPLERS = Contender.DIFFUSION_SAMPLERS;
    /** Frames in a filmstrip, evenly spaced from x_T to the end. */
    public static final int FILM = 6;
    /** The grid's side: GRID² images per sampler. */
    public static final int GRID = 2;

    /**
     * One column's result.
     *
     * @param xT        the x_T it started from, GRID² × 28 × 28 (8-bit, as recorded): every column's is the same
     * @param images    the final images, GRID² × 28 × 28
     * @param filmstrip row i = image i's x̂0 at the frames {@code filmFrames}, FILM per row
     */
    public record Lane(Contender contender, float[] xT, float[] images, float[] filmstrip, int[] filmFrames, int nfe,
                       double millis) {
        public SamplerKind sampler() { return contender.sampler(); }

        public String summary() {
            return String.format(Locale.ROOT, "NFE %d · %.2f\u00A0s", nfe, millis / 1e3); // a narrow column wraps before the time, not inside it
        }
    }

    private final Jobs jobs;
    private final ImageModel images;
    private final ReadOnlyObjectProperty<Network> network;
    private final BiConsumer<String, Throwable> onError;
    private final ObjectProperty<Comparison> comparison = new SimpleObjectProperty<>(this, "comparison", Comparison.SAMPLERS);
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 20);
    private final DoubleProperty guidance = new SimpleDoubleProperty(this, "guidance", 3);
    private final IntegerProperty label = new SimpleIntegerProperty(this, "label", ReverseRun.EACH_CLASS);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty qualityDigits = new SimpleIntegerProperty(this, "qualityDigits",
            Quality.DIGITS.get(Quality.DIGITS.size() - 1));
    private final ReadOnlyObjectWrapper<List<Contender>> contenders = new ReadOnlyObjectWrapper<>(this, "contenders",
            Contender.lineup(Comparison.SAMPLERS, PathFamily.DIFFUSION));
    private final ReadOnlyObjectWrapper<Map<PathFamily, Network>> models = new ReadOnlyObjectWrapper<>(this, "models", Map.of());
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(this, "unavailable", "");
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
        for (Observable p : new Observable[] {comparison, steps, guidance, label, seed, network}) p.addListener(o -> rerun());
    }

    /** What the page compares: the samplers on this model, or the diffusion model beside the flow model. */
    public ObjectProperty<Comparison> comparisonProperty() { return comparison; }
    /**
     * Sampling steps of every sampler, 1…1000 ({@link Comparison#SAMPLERS}); beside the flow model,
     * the network evaluations each column spends (its steps follow from its sampler's cost).
     */
    public IntegerProperty stepsProperty() { return steps; }
    public DoubleProperty guidanceProperty() { return guidance; }
    public IntegerProperty labelProperty() { return label; }
    public IntegerProperty seedProperty() { return seed; }
    /** The columns, in order. */
    public ReadOnlyObjectProperty<List<Contender>> contendersProperty() { return contenders.getReadOnlyProperty(); }
    /** The model of each family the columns sample (empty until known). */
    public ReadOnlyObjectProperty<Map<PathFamily, Network>> modelsProperty() { return models.getReadOnlyProperty(); }
    /** Why the comparison cannot run (the flow model not trained yet: where it comes from), "" when it can. */
    public ReadOnlyStringProperty unavailableProperty() { return unavailable.getReadOnlyProperty(); }
    /** The finished lanes, in {@link #contendersProperty()} order. */
    public ReadOnlyObjectProperty<List<Lane>> lanesProperty() { return lanes.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Network> networkProperty() { return network; }
    /** FID-lite against NFE, on demand ({@link #computeQuality}). */
    public Quality quality() { return quality; }

    /** Digits per setting for FID-lite, one of {@link Quality#DIGITS}. */
    public IntegerProperty qualityDigitsProperty() { return qualityDigits; }

    /** Computes FID-lite of every column at its steps (or NFE) on {@link #qualityDigitsProperty()} digits. */
    public void computeQuality() {
        computeQuality(qualityDigits.get());
    }

    /** Computes FID-lite of every column on {@code n} digits at the page's guidance. */
    public void computeQuality(int n) {
        MnistDataset data = dataset.get();
        List<Contender> columns = contenders.get();
        Map<PathFamily, Network> nets = models.get();
        boolean ready = columns.stream().allMatch(c -> nets.containsKey(c.family()));
        if (!unavailable.get().isEmpty()) {
            onError.accept("Computing FID-lite", new IllegalStateException(unavailable.get()));
            return;
        }
        if (!ready || data == null) {
            onError.accept("Computing FID-lite", new IllegalStateException(
                    (!ready ? "the model" : "the MNIST subset") + " is still loading; try again in a moment"));
            return;
        }
        quality.compute(columns, nets, comparison.get(), data, guidanceUsed(), seed.get(), n);
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
        running.set(true);
        running = new AtomicBoolean();
        AtomicBoolean token = running;
        Comparison c = comparison.get() == null ? Comparison.SAMPLERS : comparison.get();
        List<Contender> columns = Contender.lineup(c, net.family());
        contenders.set(columns);
        lanes.set(List.of());
        unavailable.set("");
        if (c == Comparison.SAMPLERS) {
            ready(columns, Map.of(net.family(), net), token);
            return;
        }
        PathFamily other = net.family() == PathFamily.FLOW ? PathFamily.DIFFUSION : PathFamily.FLOW;
        computing.set(true);
        progress.set(-1);
        images.shipped(other, partner -> {
            if (token.get()) return;
            Map<PathFamily, Network> both = new EnumMap<>(PathFamily.class);
            both.put(net.family(), net);
            both.put(other, partner);
            ready(columns, both, token);
        }, e -> {
            if (token.get()) return;
            computing.set(false);
            models.set(Map.of(net.family(), net));
            quality.clear();
            unavailable.set(e instanceof FileNotFoundException ? e.getMessage()
                    : Failures.describe("Loading the shipped %s model".formatted(other.cliName()), e));
        });
    }

    /** Runs the columns on their models, one after another, each lane shown as it finishes. */
    private void ready(List<Contender> columns, Map<PathFamily, Network> nets, AtomicBoolean token) {
        models.set(Map.copyOf(nets));
        double w = guidanceUsed();
        quality.keepIf(columns, nets, w, seed.get()); // FID-lite does not depend on the steps or the class
        int n = Math.max(1, Math.min(1000, steps.get()));
        boolean sameNfe = comparison.get() == Comparison.DIFFUSION_VS_FLOW;
        int classes = nets.values().stream().mapToInt(x -> x.denoiser().numClasses()).min().orElse(0);
        int k = label.get() >= classes ? ReverseRun.EACH_CLASS : label.get();
        long s = seed.get();
        List<Lane> done = new CopyOnWriteArrayList<>();
        lanes.set(List.of());
        computing.set(true);
        progress.set(0);
        jobs.run("Comparing %d samplers".formatted(columns.size()), report -> {
            for (int i = 0; i < columns.size() && !token.get(); i++) {
                Contender col = columns.get(i);
                int stepCount = sameNfe ? col.stepsFor(n) : n;
                var recipe = new SamplerRun(col.sampler(), SamplerOptions.defaults(), col.spacing(), stepCount, w, X0Clip.NONE);
                var settings = new ReverseRun.Settings(recipe, k, s, GRID);
                Recording rec = new Recording(stepCount, settings.count());
                int lane = i;
                ReverseRun.run(settings, nets.get(col.family()).denoiser(), rec,
                        f -> report.accept((lane + f) / columns.size()), token::get);
                if (!rec.complete()) break;
                done.add(lane(col, rec));
                report.accept((lane + 1.0) / columns.size());
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
     * The run's x_T, final images and the x̂0 filmstrip of each image at {@link #FILM} evenly
     * spaced recorded frames; {@code filmFrames} are their sampling steps.
     */
    static Lane lane(Contender col, Recording rec) {
        int last = rec.frames() - 1, count = rec.count(), tile = 28 * 28;
        int[] steps = new int[FILM];
        float[] film = new float[count * FILM * tile];
        for (int j = 0; j < FILM; j++) {
            int frame = (int) Math.round((double) j * last / (FILM - 1));
            steps[j] = rec.stepOf(frame);
            float[] x0 = rec.predX0(frame);
            for (int i = 0; i < count; i++) System.arraycopy(x0, i * tile, film, (i * FILM + j) * tile, tile);
        }
        return new Lane(col, rec.x(0), rec.x(last), film, steps, rec.nfe(last), rec.millis(last));
    }
}
