package org.diffusionplayground.app.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
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
 * digits, as {@code bench quality} prints them) at {@link #STEPS} steps and the page's guidance.
 */
public final class Quality {

    public static final List<Integer> STEPS = List.of(5, 10, 20);
    public static final String CLASSIFIER_FILE = "mnist-classifier.sd";

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private AtomicBoolean running = new AtomicBoolean();

    Quality(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
    }

    /** One curve per sampler (x NFE, y FID-lite) and the real-vs-real floor, as rows finish. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    /** Drops the curves (their settings changed) and stops a computation in progress. */
    public void clear() {
        running.set(true);
        running = new AtomicBoolean();
        computing.set(false);
        curves.set(List.of());
    }

    /** Runs every sampler at {@link #STEPS} steps on n digits (classes i mod 10) with guidance w. */
    void compute(Network net, MnistDataset data, double w, long seed, int n) {
        clear();
        AtomicBoolean token = running;
        var cases = QualityBenchmark.grid(CompareModel.SAMPLERS, STEPS, List.of(w));
        var config = new QualityBenchmark.Config(cases, Spacing.LOGSNR, SamplerOptions.defaults(), n, 2 * n, seed);
        List<QualityBenchmark.Row> rows = new CopyOnWriteArrayList<>();
        double[] floor = {Double.NaN};
        computing.set(true);
        progress.set(0);
        jobs.run("Computing FID-lite of %d sampler settings".formatted(cases.size()), report -> {
            if (token.get()) return rows;
            try (Threads single = Threads.limit(1)) {
                MnistClassifier classifier = MnistClassifier.load(Pretrained.locate(CLASSIFIER_FILE).orElseThrow(() ->
                        new java.io.FileNotFoundException("no shipped classifier: " + Pretrained.searched(CLASSIFIER_FILE))));
                QualityBenchmark.run(net.denoiser(), classifier, data, config, new QualityBenchmark.Listener() {
                    @Override public void onFloor(QualityBenchmark.Floor f) { floor[0] = f.fidLite(); }

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
            curves.set(curves(rows, floor[0]));
        }, done -> {
            if (token.get()) return;
            computing.set(false);
            curves.set(curves(done, floor[0]));
        }, e -> {
            if (token.get()) return;
            computing.set(false);
            onError.accept("Computing FID-lite", e);
        });
    }

    /** A curve per sampler over its finished rows, in NFE order, and the floor across their NFE range. */
    static List<Curve> curves(List<QualityBenchmark.Row> rows, double floor) {
        List<Curve> out = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (SamplerKind kind : CompareModel.SAMPLERS) {
            List<QualityBenchmark.Row> mine = rows.stream().filter(r -> r.cell().sampler() == kind)
                    .sorted(java.util.Comparator.comparingInt(QualityBenchmark.Row::nfe)).toList();
            if (mine.isEmpty()) continue;
            double[] x = mine.stream().mapToDouble(QualityBenchmark.Row::nfe).toArray();
            double[] y = mine.stream().mapToDouble(QualityBenchmark.Row::fidLite).toArray();
            lo = Math.min(lo, x[0]);
            hi = Math.max(hi, x[x.length - 1]);
            out.add(new Curve(kind.cliName(), kind.ordinal(), x, y, x, y));
        }
        if (!out.isEmpty() && Double.isFinite(floor)) {
            out.add(new Curve("real vs real", 7, new double[] {lo, hi}, new double[] {floor, floor}));
        }
        return out;
    }
}
