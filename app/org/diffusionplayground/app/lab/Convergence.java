package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.bench.SamplerBenchmark;
import org.diffusionplayground.model.sampler.SamplerKind;
import org.diffusionplayground.viz.Curve;

/**
 * The convergence picture: each sampler's sliced-Wasserstein distance to the truth against its
 * NFE, at {@link #STEPS} steps, with the finite-sample floor (exact samples scored the same way)
 * as a flat line. Computed by {@link SamplerBenchmark}, so it matches {@code bench samplers}.
 */
public final class Convergence {

    public static final List<Integer> STEPS = List.of(5, 10, 20, 50, 100);

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyObjectWrapper<List<SamplerBenchmark.Row>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyObjectWrapper<List<Curve>> curves =
            new ReadOnlyObjectWrapper<>(this, "curves", List.of());

    Convergence(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
    }

    /** True while a computation runs. */
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }

    /** Every row of the last computation; the first is "exact" (the floor). */
    public ReadOnlyObjectProperty<List<SamplerBenchmark.Row>> rowsProperty() { return rows.getReadOnlyProperty(); }
    /** SW₂ against NFE, one curve per sampler (palette colour = sampler ordinal) plus the floor. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }

    /** Clears the chart (its settings are gone). */
    void clear() {
        computing.set(false);
        rows.set(List.of());
        curves.set(List.of());
    }

    void compute(LabRun.Settings settings, List<SamplerKind> samplers, BooleanSupplier cancelled) {
        if (samplers.isEmpty()) return;
        List<SamplerBenchmark.Case> cases = new ArrayList<>();
        for (SamplerKind k : samplers) for (int s : STEPS) cases.add(new SamplerBenchmark.Case(k, s));
        SamplerBenchmark.Config config = new SamplerBenchmark.Config(settings.dataset(), settings.schedule(),
                settings.spacing(), settings.options(), cases, LabRun.POINTS, LabRun.REFERENCE, LabRun.PROJECTIONS, settings.seed());
        computing.set(true);
        jobs.run("Convergence: %d samplers × %d step counts".formatted(samplers.size(), STEPS.size()),
                () -> SamplerBenchmark.run(config, row -> { }, cancelled), result -> {
                    if (cancelled.getAsBoolean()) return;
                    computing.set(false);
                    rows.set(List.copyOf(result));
                    curves.set(curves(result));
                }, e -> {
                    computing.set(false);
                    onError.accept("Computing the convergence chart", e);
                });
    }

    static List<Curve> curves(List<SamplerBenchmark.Row> result) {
        Map<String, List<SamplerBenchmark.Row>> bySampler = new LinkedHashMap<>();
        double floor = Double.NaN;
        int maxNfe = 1;
        for (SamplerBenchmark.Row r : result) {
            if (r.sampler().equals("exact")) floor = r.slicedWasserstein();
            else bySampler.computeIfAbsent(r.sampler(), k -> new ArrayList<>()).add(r);
            maxNfe = Math.max(maxNfe, r.nfe());
        }
        List<Curve> out = new ArrayList<>();
        bySampler.forEach((name, rs) -> {
            double[] x = rs.stream().mapToDouble(SamplerBenchmark.Row::nfe).toArray();
            double[] y = rs.stream().mapToDouble(SamplerBenchmark.Row::slicedWasserstein).toArray();
            out.add(new Curve(name, SamplerKind.parse(name).ordinal(), x, y, x, y));
        });
        if (Double.isFinite(floor)) {
            out.add(new Curve("exact floor", SamplerKind.values().length,
                    new double[] {1, maxNfe}, new double[] {floor, floor}));
        }
        return out;
    }
}
