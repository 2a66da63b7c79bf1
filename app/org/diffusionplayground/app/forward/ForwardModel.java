package org.diffusionplayground.app.forward;

import java.util.List;
import java.util.Random;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
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
import org.diffusionplayground.app.Playback;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.viz.Curve;

/**
 * The Forward page: a grid of dataset images noised to step t of the chosen schedule,
 * x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε (Ho et al. 2020, eq. 4), with one fixed ε per image so the grid
 * morphs smoothly as t moves. The arithmetic is done on plain float arrays (a 4×4 grid is 12,544
 * multiply-adds) so dragging keeps up; only the two coefficients come from the schedule.
 */
public final class ForwardModel implements Playback {

    /** Seconds a play from t = 0 to T takes. */
    static final double PLAY_SECONDS = 4.0;
    public static final int MAX_GRID = 8;
    /** chosenClass value meaning "random images of every class". */
    public static final int ANY_CLASS = -1;

    private final ObjectProperty<MnistDataset> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final ObjectProperty<ScheduleKind> scheduleKind = new SimpleObjectProperty<>(this, "scheduleKind", ScheduleKind.DDPM);
    private final DoubleProperty shift = new SimpleDoubleProperty(this, "shift", 0);
    private final ReadOnlyObjectWrapper<NoiseSchedule> schedule = new ReadOnlyObjectWrapper<>(this, "schedule");
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", 0);
    private final ReadOnlyIntegerWrapper steps = new ReadOnlyIntegerWrapper(this, "steps", 1000);
    private final IntegerProperty gridSize = new SimpleIntegerProperty(this, "gridSize", 4);
    private final IntegerProperty chosenClass = new SimpleIntegerProperty(this, "chosenClass", ANY_CLASS);
    private final BooleanProperty playing = new SimpleBooleanProperty(this, "playing");

    private final ReadOnlyDoubleWrapper time = new ReadOnlyDoubleWrapper(this, "time");
    private final ReadOnlyDoubleWrapper alphaBar = new ReadOnlyDoubleWrapper(this, "alphaBar", 1);
    private final ReadOnlyDoubleWrapper logSnr = new ReadOnlyDoubleWrapper(this, "logSnr");
    private final ReadOnlyDoubleWrapper alpha = new ReadOnlyDoubleWrapper(this, "alpha", 1);
    private final ReadOnlyDoubleWrapper sigma = new ReadOnlyDoubleWrapper(this, "sigma");
    private final ReadOnlyObjectWrapper<float[]> clean = new ReadOnlyObjectWrapper<>(this, "clean");
    private final ReadOnlyObjectWrapper<float[]> noised = new ReadOnlyObjectWrapper<>(this, "noised");
    private final ReadOnlyStringWrapper blankNote = new ReadOnlyStringWrapper(this, "blankNote", "");
    private final ReadOnlyObjectWrapper<List<Curve>> alphaBarCurve = new ReadOnlyObjectWrapper<>(this, "alphaBarCurve", List.of());
    private final ReadOnlyObjectWrapper<List<Curve>> snrCurve = new ReadOnlyObjectWrapper<>(this, "snrCurve", List.of());

    private float[] eps = new float[0];
    private long imageSeed;
    private long noiseSeed;
    private double pendingSteps;

    public ForwardModel(long seed) {
        imageSeed = seed;
        noiseSeed = seed ^ 0x5DEECE66DL;
        scheduleKind.addListener(o -> updateSchedule());
        shift.addListener(o -> updateSchedule());
        step.addListener(o -> updateCoefficients());
        dataset.addListener(o -> pickImages());
        gridSize.addListener(o -> pickImages());
        chosenClass.addListener(o -> pickImages());
        updateSchedule();
    }

    // --- inputs
    public ObjectProperty<MnistDataset> datasetProperty() { return dataset; }
    public ObjectProperty<ScheduleKind> scheduleKindProperty() { return scheduleKind; }
    /** Shift of the shifted-cosine schedule (log-SNR offset). */
    public DoubleProperty shiftProperty() { return shift; }
    /** t as a step in [0, T]; t/T is the continuous time of the schedule. */
    public IntegerProperty stepProperty() { return step; }
    /** Images per side of the grid, 1…8. */
    public IntegerProperty gridSizeProperty() { return gridSize; }
    /** Class the images are drawn from, or {@link #ANY_CLASS}. */
    public IntegerProperty chosenClassProperty() { return chosenClass; }
    @Override public BooleanProperty playingProperty() { return playing; }

    // --- outputs
    public ReadOnlyObjectProperty<NoiseSchedule> scheduleProperty() { return schedule.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty stepsProperty() { return steps.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty timeProperty() { return time.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty alphaBarProperty() { return alphaBar.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty logSnrProperty() { return logSnr.getReadOnlyProperty(); }
    /** Signal coefficient √ᾱ_t. */
    public ReadOnlyDoubleProperty alphaProperty() { return alpha.getReadOnlyProperty(); }
    /** Noise coefficient √(1−ᾱ_t). */
    public ReadOnlyDoubleProperty sigmaProperty() { return sigma.getReadOnlyProperty(); }
    /** The clean images x0 in [−1, 1], packed [N, H, W]. */
    public ReadOnlyObjectProperty<float[]> cleanProperty() { return clean.getReadOnlyProperty(); }
    /**
     * Says so when every image shown is one flat grey ("" otherwise): a data set of blank images
     * noises into plain noise, which would otherwise look like a broken page.
     */
    public ReadOnlyStringProperty blankNoteProperty() { return blankNote.getReadOnlyProperty(); }
        /** x_t, packed [N, H, W]; a new array whenever it changes. */
    public ReadOnlyObjectProperty<float[]> noisedProperty() { return noised.getReadOnlyProperty(); }
    /** ᾱ against t ∈ [0, T]. */
    public ReadOnlyObjectProperty<List<Curve>> alphaBarCurveProperty() { return alphaBarCurve.getReadOnlyProperty(); }
    /** SNR = ᾱ/(1−ᾱ) against t ∈ [1, T]. */
    public ReadOnlyObjectProperty<List<Curve>> snrCurveProperty() { return snrCurve.getReadOnlyProperty(); }

    // --- commands
    /** Draws a new ε for every image (the images stay). */
    public void newNoise() {
        noiseSeed++;
        eps = new float[0];
        updateNoised();
    }

    /** Draws new images (the noise stays). */
    public void newImages() {
        imageSeed++;
        pickImages();
    }

    /** The seed of the images shown (a scenario stores it with {@link #noiseSeed()}). */
    public long imageSeed() { return imageSeed; }

    /** The seed of the noise ε. */
    public long noiseSeed() { return noiseSeed; }

    /** Shows the images and the noise of these seeds (a scenario being opened). */
    public void setSeeds(long images, long noise) {
        imageSeed = images;
        noiseSeed = noise;
        eps = new float[0];
        pickImages();
    }

    @Override public void stepBy(int delta) {
        playing.set(false);
        step.set(Math.max(0, Math.min(steps.get(), step.get() + delta)));
    }

    @Override public void toStart() {
        playing.set(false);
        step.set(0);
    }

    @Override public void toEnd() {
        playing.set(false);
        step.set(steps.get());
    }

    @Override public void togglePlay() {
        if (!playing.get() && step.get() >= steps.get()) step.set(0); // replay from the start
        playing.set(!playing.get());
    }

    @Override public void advance(double seconds) {
        if (!playing.get()) return;
        pendingSteps += seconds * steps.get() / PLAY_SECONDS;
        int whole = (int) pendingSteps;
        pendingSteps -= whole;
        int next = Math.min(steps.get(), step.get() + whole);
        step.set(next);
        if (next >= steps.get()) playing.set(false);
    }

    private void updateSchedule() {
        NoiseSchedule s = scheduleKind.get().create(shift.get());
        schedule.set(s);
        steps.set(s.steps());
        if (step.get() > s.steps()) step.set(s.steps());
        int n = s.steps();
        double[] t = new double[n + 1], ab = new double[n + 1], snr = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i;
            ab[i] = s.alphaBar((double) i / n);
            snr[i] = i == 0 ? Double.NaN : s.snr((double) i / n);
        }
        String name = scheduleKind.get().label(shift.get());
        alphaBarCurve.set(List.of(new Curve(name, 0, t, ab)));
        snrCurve.set(List.of(new Curve(name, 0, t, snr)));
        updateCoefficients();
    }

    private void updateCoefficients() {
        NoiseSchedule s = schedule.get();
        double t = (double) step.get() / s.steps();
        time.set(t);
        alphaBar.set(s.alphaBar(t));
        logSnr.set(s.logSnr(t));
        alpha.set(s.alpha(t));
        sigma.set(s.sigma(t));
        updateNoised();
    }

    /**
     * Chooses gridSize² images: a seeded sequence of indices, so growing the grid keeps the
     * images already shown.
     */
    private void pickImages() {
        MnistDataset data = dataset.get();
        if (data == null) {
            blankNote.set("");
            clean.set(null);
            updateNoised();
            return;
        }
        int side = Math.max(1, Math.min(MAX_GRID, gridSize.get())), count = side * side;
        int cls = chosenClass.get();
        int[] pool = cls == ANY_CLASS || cls >= data.classNames().size() ? null : data.indicesOf(cls);
        int poolSize = pool == null ? data.size() : pool.length;
        int pixels = data.pixelsPerImage();
        float[] x0 = new float[count * pixels];
        Random random = new Random(imageSeed);
        for (int k = 0; k < count; k++) {
            int r = random.nextInt(poolSize);
            data.image(pool == null ? r : pool[r], x0, k * pixels);
        }
        clean.set(x0);
        blankNote.set(blankNote(x0, count, data));
        updateNoised();
    }

    /** The note for {@link #blankNoteProperty()}: every pixel of the images shown has one value. */
    static String blankNote(float[] x0, int count, MnistDataset data) {
        float first = x0.length == 0 ? 0 : x0[0];
        for (float v : x0) if (v != first) return "";
        return ("All %d images shown from %s are blank: every pixel is %d of 255. The noise has nothing to hide;"
                + " is the folder's image file the right one?").formatted(count, data.name(), Math.round((first + 1) * 127.5f));
    }

    /** x_t = α_t·x0 + σ_t·ε with ε ~ N(0, I) drawn once per noise seed (a prefix stays fixed as the grid grows). */
    private void updateNoised() {
        float[] x0 = clean.get();
        if (x0 == null) {
            noised.set(null);
            return;
        }
        if (eps.length < x0.length) {
            Random random = new Random(noiseSeed);
            eps = new float[Math.max(x0.length, MAX_GRID * MAX_GRID * 28 * 28)];
            for (int i = 0; i < eps.length; i++) eps[i] = (float) random.nextGaussian();
        }
        float a = (float) alpha.get(), s = (float) sigma.get();
        float[] xt = new float[x0.length];
        for (int i = 0; i < xt.length; i++) xt[i] = a * x0[i] + s * eps[i];
        noised.set(xt);
    }

    /** The fixed noise ε of the current images (a copy), packed like {@link #cleanProperty()}. */
    public float[] noise() {
        float[] x0 = clean.get();
        return x0 == null ? new float[0] : java.util.Arrays.copyOf(eps, x0.length);
    }
}
