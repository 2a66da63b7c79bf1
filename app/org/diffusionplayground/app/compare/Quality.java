package org.diffusionplayground.app.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.model.eval.QualityBenchmark;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.eval.MnistClassifier;
import org.diffusionplayground.model.checkpoint.Pretrained;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.viz.Curve;

/**
 * FID-lite against NFE for the compared samplers, computed on demand in the background by
 * {@link QualityBenchmark} (the shipped classifier's features of generated vs held-out real
 * digits, as {@code bench quality} prints them) at {@link #STEPS} steps and the page's guidance,
 * each value with its bootstrap spread, so that a ranking the measurement cannot make is not read
 * into it. It depends on the network, the guidance, the seed and the number of digits only: the
 * page's step count and class leave it standing.
 */
public final class Quality {

    public static final List<Integer> STEPS = List.of(5, 10, 20);
    public static final String CLASSIFIER_FILE = "mnist-classifier.sd";
    /** Digits per setting the page offers: a quick look, and the most the held-out set allows (ranks). */
    public static final List<Integer> DIGITS = List.of(100, 250, QualityBenchmark.MAX_N);
    /** Bootstrap resamples behind each ± (a few seconds for all 15 cells). */
    static final int BOOTSTRAP = 30;

    /** One line of the legend: a curve's name and colour, and its last value with its spread. */
    public record Entry(String name, int colour, String text) {
    }

    /** What a result depends on. */
    record Key(Network network, double guidance, long seed, int digits) {
    }

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyObjectWrapper<List<Entry>> legend = new ReadOnlyObjectWrapper<>(this, "legend", List.of());
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper(this, "verdict", "");
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private AtomicBoolean running = new AtomicBoolean();
    private Key key;

    Quality(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
    }

    /** One curve per sampler (x NFE, y FID-lite) and the real-vs-real floor, as rows finish. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    /** The legend: per curve its value at the most steps ± its bootstrap spread. */
    public ReadOnlyObjectProperty<List<Entry>> legendProperty() { return legend.getReadOnlyProperty(); }
    /** What the ± means and which of the samplers at the most steps the measurement cannot tell apart. */
    public ReadOnlyStringProperty noteProperty() { return note.getReadOnlyProperty(); }
    /** Only the last sentence of {@link #noteProperty()}: which samplers it cannot rank ("" when it ranks all). */
    public ReadOnlyStringProperty verdictProperty() { return verdict.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    /** Drops the curves (their settings changed) and stops a computation in progress. */
    public void clear() {
        running.set(true);
        running = new AtomicBoolean();
        computing.set(false);
        key = null;
        show(List.of(), Double.NaN, Double.NaN, 0);
    }

    /** Keeps the result (or the computation) if it was made for these settings, else clears it. */
    void keepIf(Network network, double guidance, long seed) {
        if (key != null && !(key.network() == network && key.guidance() == guidance && key.seed() == seed)) clear();
    }

    /** Runs every sampler at {@link #STEPS} steps on n digits (classes i mod 10) with guidance w. */
    void compute(Network net, MnistDataset data, double w, long seed, int n) {
        clear();
        key = new Key(net, w, seed, n);
        AtomicBoolean token = running;
        var cases = QualityBenchmark.grid(CompareModel.SAMPLERS, STEPS, List.of(w));
        var config = new QualityBenchmark.Config(cases, Spacing.LOGSNR, SamplerOptions.defaults(), n, Math.min(2 * n, 200), seed, BOOTSTRAP);
        List<QualityBenchmark.Row> rows = new CopyOnWriteArrayList<>();
        double[] floor = {Double.NaN, Double.NaN};
        computing.set(true);
        progress.set(0);
        jobs.run("Computing FID-lite of %d sampler settings on %d digits each".formatted(cases.size(), n), report -> {
            if (token.get()) return rows;
            try (Threads single = Threads.limit(1)) {
                MnistClassifier classifier = MnistClassifier.load(Pretrained.locate(CLASSIFIER_FILE).orElseThrow(() ->
                        new java.io.FileNotFoundException("no shipped classifier: " + Pretrained.searched(CLASSIFIER_FILE))));
                QualityBenchmark.run(net.denoiser(), classifier, data, config, new QualityBenchmark.Listener() {
                    @Override public void onFloor(QualityBenchmark.Floor f) {
                        floor[0] = f.fidLite();
                        floor[1] = f.fidLiteSpread();
                    }

                    @Override public void onRow(QualityBenchmark.Row row) {
                        rows.add(row);
                        report.accept((double) rows.size() / cases.size());
                    }
                }, token::get);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
            return rows;
        }, fraction -> {
            if (token.get()) return;
            progress.set(fraction);
            show(rows, floor[0], floor[1], n);
        }, done -> {
            if (token.get()) return;
            computing.set(false);
            show(done, floor[0], floor[1], n);
        }, e -> {
            if (token.get()) return;
            computing.set(false);
            key = null;
            onError.accept("Computing FID-lite", e);
        });
    }

    private void show(List<QualityBenchmark.Row> rows, double floor, double floorSpread, int n) {
        curves.set(curves(rows, floor));
        legend.set(legend(rows, floor, floorSpread));
        note.set(rows.isEmpty() ? "" : note(rows, n));
        verdict.set(rows.isEmpty() ? "" : verdict(rows));
    }

    /** The rows of each sampler in NFE order, in {@link CompareModel#SAMPLERS} order. */
    private static List<List<QualityBenchmark.Row>> bySampler(List<QualityBenchmark.Row> rows) {
        List<List<QualityBenchmark.Row>> out = new ArrayList<>();
        for (SamplerKind kind : CompareModel.SAMPLERS) {
            List<QualityBenchmark.Row> mine = rows.stream().filter(r -> r.cell().sampler() == kind)
                    .sorted(java.util.Comparator.comparingInt(QualityBenchmark.Row::nfe)).toList();
            if (!mine.isEmpty()) out.add(mine);
        }
        return out;
    }

    /** A curve per sampler over its finished rows, in NFE order, and the floor across their NFE range. */
    static List<Curve> curves(List<QualityBenchmark.Row> rows, double floor) {
        List<Curve> out = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (List<QualityBenchmark.Row> mine : bySampler(rows)) {
            SamplerKind kind = mine.get(0).cell().sampler();
            double[] x = mine.stream().mapToDouble(QualityBenchmark.Row::nfe).toArray();
            double[] y = mine.stream().mapToDouble(QualityBenchmark.Row::fidLite).toArray();
            lo = Math.min(lo, x[0]);
            hi = Math.max(hi, x[x.length - 1]);
            out.add(new Curve(kind.cliName(), kind.ordinal(), x, y, x, y));
        }
        if (!out.isEmpty() && Double.isFinite(floor)) {
            out.add(new Curve(FLOOR, 7, new double[] {lo, hi}, new double[] {floor, floor}));
        }
        return out;
    }

    static final String FLOOR = "real vs real";

    /** Per sampler "36.2 ± 2.1 at NFE 20" (its most steps), and the floor's value ± spread. */
    static List<Entry> legend(List<QualityBenchmark.Row> rows, double floor, double floorSpread) {
        List<Entry> out = new ArrayList<>();
        for (List<QualityBenchmark.Row> mine : bySampler(rows)) {
            QualityBenchmark.Row last = mine.get(mine.size() - 1);
            SamplerKind kind = last.cell().sampler();
            out.add(new Entry(kind.cliName(), kind.ordinal(), "%s at NFE %d".formatted(plusMinus(last.fidLite(), last.fidLiteSpread()),
                    last.nfe())));
        }
        if (!out.isEmpty() && Double.isFinite(floor)) out.add(new Entry(FLOOR, 7, plusMinus(floor, floorSpread)));
        return out;
    }

    /**
     * What ± is, and which samplers at the page's most steps ({@link #STEPS}' last) lie within
     * twice their combined spread of the best one: the measurement does not rank those.
     */
    public static String note(List<QualityBenchmark.Row> rows, int n) {
        String meaning = ("± is the spread of FID-lite when the %d generated and %d real digits are drawn again "
                + "(bootstrap, %d resamples): values closer than about twice it are not ranked by this measurement.")
                .formatted(n, n, BOOTSTRAP);
        String verdict = verdict(rows);
        return verdict.isEmpty() ? meaning : meaning + " " + verdict;
    }

    /** "At 20 steps ddpm, euler cannot be told apart from ddim." for the samplers within twice their combined spread of the best. */
    public static String verdict(List<QualityBenchmark.Row> rows) {
        int most = STEPS.get(STEPS.size() - 1);
        List<QualityBenchmark.Row> atMost = rows.stream().filter(r -> r.cell().steps() == most).toList();
        if (atMost.size() < 2 || atMost.stream().anyMatch(r -> !Double.isFinite(r.fidLiteSpread()))) return "";
        QualityBenchmark.Row best = atMost.stream().min(java.util.Comparator.comparingDouble(QualityBenchmark.Row::fidLite)).orElseThrow();
        List<String> tied = atMost.stream().filter(r -> r != best && r.fidLite() - best.fidLite()
                < 2 * Math.hypot(r.fidLiteSpread(), best.fidLiteSpread())).map(r -> r.cell().sampler().cliName()).toList();
        if (tied.isEmpty()) return "";
        return "At %d steps %s cannot be told apart from %s.".formatted(most, String.join(", ", tied), best.cell().sampler().cliName());
    }

    private static String plusMinus(double value, double spread) {
        return Double.isFinite(spread) ? String.format(Locale.ROOT, "%.1f ± %.1f", value, spread)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
