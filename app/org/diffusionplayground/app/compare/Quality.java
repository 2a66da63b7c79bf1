package org.diffusionplayground.app.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.viz.Curve;

/**
 * FID-lite against NFE for the compared columns, computed on demand in the background by
 * {@link QualityBenchmark} (the shipped classifier's features of generated vs held-out real
 * digits, as {@code bench quality} prints them) at the page's guidance, each value with its
 * bootstrap spread, so that a ranking the measurement cannot make is not read into it. The
 * samplers on one model run at {@link #STEPS} steps; the diffusion model beside the flow model at
 * {@link #NFE} evaluations per column, both models' curves on one chart. It depends on the
 * columns, their models, the guidance, the seed and the number of digits only: the page's step
 * count and class leave it standing.
 */
public final class Quality {

    public static final List<Integer> STEPS = List.of(5, 10, 20);
    /** Network evaluations per column beside the flow model (RK4: 1, 2 and 5 steps). */
    public static final List<Integer> NFE = List.of(4, 8, 20);
    public static final String CLASSIFIER_FILE = "mnist-classifier.sd";
    /** Digits per setting the page offers: a quick look, and the most the held-out set allows (ranks). */
    public static final List<Integer> DIGITS = List.of(100, 250, QualityBenchmark.MAX_N);
    /** Bootstrap resamples behind each ± (a few seconds for all 15 cells). */
    static final int BOOTSTRAP = 30;

    /** One line of the legend: a curve's name and colour, and its last value with its spread. */
    public record Entry(String name, int colour, String text) {
    }

    /** A finished cell and the column it belongs to. */
    record Point(Contender contender, QualityBenchmark.Row row) {
    }

    /** What a result depends on. */
    record Key(List<Contender> contenders, Map<PathFamily, Network> networks, double guidance, long seed, int digits) {
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

    /** One curve per column (x NFE, y FID-lite) and the real-vs-real floor, as rows finish. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    /** The legend: per curve its value at the most steps ± its bootstrap spread. */
    public ReadOnlyObjectProperty<List<Entry>> legendProperty() { return legend.getReadOnlyProperty(); }
    /** What the ± means and which of the columns at the most steps the measurement cannot tell apart. */
    public ReadOnlyStringProperty noteProperty() { return note.getReadOnlyProperty(); }
    /** Only the last sentence of {@link #noteProperty()}: which columns it cannot rank ("" when it ranks all). */
    public ReadOnlyStringProperty verdictProperty() { return verdict.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    /** Drops the curves (their settings changed) and stops a computation in progress. */
    public void clear() {
        running.set(true);
        running = new AtomicBoolean();
        computing.set(false);
        key = null;
        show(List.of(), Double.NaN, Double.NaN, 0, "steps");
    }

    /** Keeps the result (or the computation) if it was made for these settings, else clears it. */
    void keepIf(List<Contender> contenders, Map<PathFamily, Network> networks, double guidance, long seed) {
        if (key != null && !(key.contenders().equals(contenders) && sameNetworks(key.networks(), networks)
                && key.guidance() == guidance && key.seed() == seed)) {
            clear();
        }
    }

    private static boolean sameNetworks(Map<PathFamily, Network> a, Map<PathFamily, Network> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (PathFamily f : a.keySet()) if (a.get(f) != b.get(f)) return false;
        return true;
    }

    /**
     * Runs every column on n digits (classes i mod 10) with guidance w: at {@link #STEPS} steps
     * when comparing samplers, at {@link #NFE} evaluations beside the flow model. Columns of one
     * model and spacing run as one benchmark; all share the seed, so the same real digits.
     */
    void compute(List<Contender> contenders, Map<PathFamily, Network> networks, Comparison comparison, MnistDataset data,
                 double w, long seed, int n) {
        clear();
        key = new Key(contenders, Map.copyOf(networks), w, seed, n);
        AtomicBoolean token = running;
        boolean sameNfe = comparison == Comparison.DIFFUSION_VS_FLOW;
        String axis = sameNfe ? "NFE" : "steps";
        // one benchmark per (model, spacing): its cases, and the column each case's sampler belongs to
        Map<List<Object>, List<Contender>> groups = new LinkedHashMap<>();
        for (Contender c : contenders) groups.computeIfAbsent(List.of(c.family(), c.spacing()), g -> new ArrayList<>()).add(c);
        int cells = contenders.size() * (sameNfe ? NFE : STEPS).size();
        List<Point> points = new CopyOnWriteArrayList<>();
        double[] floor = {Double.NaN, Double.NaN};
        computing.set(true);
        progress.set(0);
        jobs.run("Computing FID-lite of %d settings on %d digits each".formatted(cells, n), report -> {
            if (token.get()) return points;
            try (Threads single = Threads.limit(1)) {
                MnistClassifier classifier = MnistClassifier.load(Pretrained.locate(CLASSIFIER_FILE).orElseThrow(() ->
                        new java.io.FileNotFoundException("no shipped classifier: " + Pretrained.searched(CLASSIFIER_FILE))));
                for (List<Contender> group : groups.values()) {
                    if (token.get()) break;
                    List<QualityBenchmark.Case> cases = new ArrayList<>();
                    for (Contender c : group) {
                        for (int budget : sameNfe ? NFE : STEPS) {
                            cases.add(new QualityBenchmark.Case(c.sampler(), sameNfe ? c.stepsFor(budget) : budget, w));
                        }
                    }
                    var config = new QualityBenchmark.Config(cases, group.get(0).spacing(), SamplerOptions.defaults(), n,
                            Math.min(2 * n, 200), seed, BOOTSTRAP);
                    QualityBenchmark.run(networks.get(group.get(0).family()).denoiser(), classifier, data, config,
                            new QualityBenchmark.Listener() {
                                @Override public void onFloor(QualityBenchmark.Floor f) {
                                    floor[0] = f.fidLite();
                                    floor[1] = f.fidLiteSpread();
                                }

                                @Override public void onRow(QualityBenchmark.Row row) {
                                    Contender owner = group.stream().filter(c -> c.sampler() == row.cell().sampler()).findFirst()
                                            .orElseThrow();
                                    points.add(new Point(owner, row));
                                    report.accept((double) points.size() / cells);
                                }
                            }, token::get);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
            return points;
        }, fraction -> {
            if (token.get()) return;
            progress.set(fraction);
            show(points, floor[0], floor[1], n, axis);
        }, done -> {
            if (token.get()) return;
            computing.set(false);
            show(done, floor[0], floor[1], n, axis);
        }, e -> {
            if (token.get()) return;
            computing.set(false);
            key = null;
            onError.accept("Computing FID-lite", e);
        });
    }

    private void show(List<Point> points, double floor, double floorSpread, int n, String axis) {
        curves.set(curves(points, floor));
        legend.set(legend(points, floor, floorSpread));
        note.set(points.isEmpty() ? "" : note(points, n, axis));
        verdict.set(points.isEmpty() ? "" : verdictOf(points, axis));
    }

    /** The points of each column in NFE order, the columns in the order they first appear. */
    private static List<List<Point>> byColumn(List<Point> points) {
        Map<Contender, List<Point>> out = new LinkedHashMap<>();
        for (Point p : points) out.computeIfAbsent(p.contender(), c -> new ArrayList<>()).add(p);
        return out.values().stream().map(mine -> mine.stream()
                .sorted(java.util.Comparator.comparingInt(p -> p.row().nfe())).toList()).toList();
    }

    /** A curve per column over its finished rows, in NFE order, and the floor across their NFE range. */
    static List<Curve> curves(List<Point> points, double floor) {
        List<Curve> out = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (List<Point> mine : byColumn(points)) {
            Contender c = mine.get(0).contender();
            double[] x = mine.stream().mapToDouble(p -> p.row().nfe()).toArray();
            double[] y = mine.stream().mapToDouble(p -> p.row().fidLite()).toArray();
            lo = Math.min(lo, x[0]);
            hi = Math.max(hi, x[x.length - 1]);
            out.add(new Curve(c.name(), c.colour(), x, y, x, y));
        }
        if (!out.isEmpty() && Double.isFinite(floor)) {
            out.add(new Curve(FLOOR, 7, new double[] {lo, hi}, new double[] {floor, floor}));
        }
        return out;
    }

    static final String FLOOR = "real vs real";

    /**
     * Per column "36.2 ± 2.1 at NFE 20" (its most steps), and the floor's value ± spread. Where every
     * column ends at the same NFE (beside the flow model) the legend says it once, in the floor's
     * row, so the longer names keep their numbers in the legend's width.
     */
    static List<Entry> legend(List<Point> points, double floor, double floorSpread) {
        List<Entry> out = new ArrayList<>();
        List<List<Point>> columns = byColumn(points);
        long ends = columns.stream().mapToInt(mine -> mine.get(mine.size() - 1).row().nfe()).distinct().count();
        for (List<Point> mine : columns) {
            Point last = mine.get(mine.size() - 1);
            String value = plusMinus(last.row().fidLite(), last.row().fidLiteSpread());
            out.add(new Entry(last.contender().name(), last.contender().colour(),
                    ends == 1 && columns.size() > 1 ? value : "%s at NFE %d".formatted(value, last.row().nfe())));
        }
        if (ends == 1 && columns.size() > 1 && Double.isFinite(floor)) {
            int nfe = columns.get(0).get(columns.get(0).size() - 1).row().nfe();
            out.add(new Entry(FLOOR, 7, "%s (the others at NFE %d)".formatted(plusMinus(floor, floorSpread), nfe)));
            return out;
        }
        if (!out.isEmpty() && Double.isFinite(floor)) out.add(new Entry(FLOOR, 7, plusMinus(floor, floorSpread)));
        return out;
    }

    /** {@link #note(List, int, String)} of one model's samplers at {@link #STEPS}, named by sampler. */
    public static String note(List<QualityBenchmark.Row> rows, int n) {
        return note(asPoints(rows), n, "steps");
    }

    /** {@link #verdictOf} of one model's samplers at {@link #STEPS}, named by sampler. */
    public static String verdict(List<QualityBenchmark.Row> rows) {
        return verdictOf(asPoints(rows), "steps");
    }

    private static List<Point> asPoints(List<QualityBenchmark.Row> rows) {
        return rows.stream().map(r -> new Point(new Contender(r.cell().sampler().cliName(), PathFamily.DIFFUSION,
                r.cell().sampler(), Spacing.LOGSNR, r.cell().sampler().ordinal()), r)).toList();
    }

    /**
     * What ± is, and which columns at the page's most steps (or NFE) lie within twice their
     * combined spread of the best one: the measurement does not rank those.
     */
    static String note(List<Point> points, int n, String axis) {
        String meaning = ("± is the spread of FID-lite when the %d generated and %d real digits are drawn again "
                + "(bootstrap, %d resamples): values closer than about twice it are not ranked by this measurement.")
                .formatted(n, n, BOOTSTRAP);
        String verdict = verdictOf(points, axis);
        return verdict.isEmpty() ? meaning : meaning + " " + verdict;
    }

    /** "At 20 steps ddpm, euler cannot be told apart from ddim." for the columns within twice their combined spread of the best. */
    static String verdictOf(List<Point> points, String axis) {
        boolean nfe = axis.equals("NFE");
        int most = (nfe ? NFE : STEPS).get((nfe ? NFE : STEPS).size() - 1);
        // each column's cell at the most steps, or at the steps that spend the most NFE
        List<Point> atMost = byColumn(points).stream().map(mine -> mine.get(mine.size() - 1))
                .filter(p -> p.row().cell().steps() == (nfe ? p.contender().stepsFor(most) : most)).toList();
        if (atMost.size() < 2 || atMost.stream().anyMatch(p -> !Double.isFinite(p.row().fidLiteSpread()))) return "";
        Point best = atMost.stream().min(java.util.Comparator.comparingDouble(p -> p.row().fidLite())).orElseThrow();
        List<String> tied = atMost.stream().filter(p -> p != best && p.row().fidLite() - best.row().fidLite()
                < 2 * Math.hypot(p.row().fidLiteSpread(), best.row().fidLiteSpread())).map(p -> p.contender().name()).toList();
        if (tied.isEmpty()) return "";
        return "At %d %s %s cannot be told apart from %s.".formatted(most, axis, String.join(", ", tied), best.contender().name());
    }

    private static String plusMinus(double value, double spread) {
        return Double.isFinite(spread) ? String.format(Locale.ROOT, "%.1f ± %.1f", value, spread)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
