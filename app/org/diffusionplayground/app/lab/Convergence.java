package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.app.Jobs;
import org.diffusionplayground.model.eval.OdeReference;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.viz.Curve;

/**
 * The convergence picture: each sampler at {@link #STEPS} steps, its error against its NFE, by
 * one of two {@link Measure}s. Computed by {@link SamplerConvergence} (with the ODE error), so the
 * distances to the truth match {@code bench samplers}.
 */
public final class Convergence {

    public static final List<Integer> STEPS = List.of(5, 10, 20, 50, 100);

    /** What the error is measured against. */
    public enum Measure {
        /**
         * SW₂ to the true distribution, with the finite-sample floor (exact samples scored the
         * same way) as a flat line. On a few thousand points the floor dominates: x_T fixes how
         * many points each mode receives, so every deterministic sampler levels off at one value.
         */
        TRUTH("vs truth (SW₂)"),
        /**
         * RMS distance to the exact probability-flow ODE solution from the same x_T
         * ({@link OdeReference}): pure discretisation error, whose log–log slope is the solver's
         * order. Deterministic samplers only.
         */
        ODE("vs exact ODE solution (RMS)");

        private final String label;

        Measure(String label) {
            this.label = label;
        }

        public String label() { return label; }
    }

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ObjectProperty<Measure> measure = new SimpleObjectProperty<>(this, "measure", Measure.TRUTH);
    private final ReadOnlyObjectWrapper<List<SamplerConvergence.Row>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());

    Convergence(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
        rows.addListener(o -> curves.set(curves(rows.get(), measure.get())));
        measure.addListener(o -> curves.set(curves(rows.get(), measure.get())));
    }

    /** True while a computation runs. */
    public ReadOnlyBooleanProperty computingProperty() { return computing.getReadOnlyProperty(); }
    /** Fraction of the cases done while computing. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    /** Which error the curves show; switching needs no recomputation. */
    public ObjectProperty<Measure> measureProperty() { return measure; }

    /** Every row of the last computation; the first is "exact" (the floor). */
    public ReadOnlyObjectProperty<List<SamplerConvergence.Row>> rowsProperty() { return rows.getReadOnlyProperty(); }
    /**
     * Error against NFE by the current measure, one curve per sampler (palette colour = sampler
     * ordinal); {@link Measure#TRUTH} adds the floor, {@link Measure#ODE} leaves out stochastic samplers.
     */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() { return curves.getReadOnlyProperty(); }

    /** Clears the chart (its settings are gone). */
    void clear() {
        computing.set(false);
        progress.set(0);
        rows.set(List.of());
    }

    void compute(LabRun.Settings settings, List<SamplerKind> samplers, BooleanSupplier cancelled) {
        compute(settings, samplers.stream().map(k -> new LabRun.Choice(k, LaneProcess.DIFFUSION)).toList(), null, cancelled);
    }

    /**
     * Every lane's sampler on its process — diffusion ODE, exact flow, reflowed flow — each process
     * one {@link SamplerConvergence} run from the same x_T; rows of the flows are named with their
     * process ("rk4 · flow"). {@code reflowed} is needed only for REFLOW lanes.
     */
    void compute(LabRun.Settings settings, List<LabRun.Choice> choices, Denoiser reflowed, BooleanSupplier cancelled) {
        if (choices.isEmpty()) return;
        Map<LaneProcess, List<SamplerConvergence.Case>> byProcess = new LinkedHashMap<>();
        for (LabRun.Choice c : choices) {
            List<SamplerConvergence.Case> cases = byProcess.computeIfAbsent(c.process(), p -> new ArrayList<>());
            if (cases.stream().noneMatch(x -> x.sampler() == c.sampler())) {
                for (int s : STEPS) cases.add(new SamplerConvergence.Case(c.sampler(), s));
            }
        }
        int total = byProcess.values().stream().mapToInt(List::size).sum();
        computing.set(true);
        progress.set(0);
        jobs.run("Convergence: %d lanes × %d step counts".formatted(choices.size(), STEPS.size()), report -> {
            int[] done = {0};
            List<SamplerConvergence.Row> all = new ArrayList<>();
            double ownError = Double.NaN;
            for (var entry : byProcess.entrySet()) {
                LaneProcess process = entry.getKey();
                SamplerConvergence.Config config = new SamplerConvergence.Config(settings.dataset(), settings.schedule(),
                        process.spacing(settings.spacing()), settings.options(), entry.getValue(), LabRun.POINTS, LabRun.REFERENCE,
                        LabRun.PROJECTIONS, settings.seed(), true, process.family());
                List<SamplerConvergence.Row> rows = SamplerConvergence.run(config, process == LaneProcess.REFLOW ? reflowed : null,
                        row -> report.accept((double) done[0]++ / total), cancelled);
                for (SamplerConvergence.Row r : rows) {
                    if (r.sampler().equals("exact")) {
                        if (all.isEmpty()) all.add(r);
                        if (!(r.odeRms() <= ownError)) ownError = r.odeRms();
                    } else {
                        all.add(new SamplerConvergence.Row(r.sampler() + process.suffix(), r.steps(), r.nfe(), r.slicedWasserstein(),
                                r.millis(), r.odeRms(), r.odeFar(), r.odeRmsNear()));
                    }
                }
            }
            if (!all.isEmpty()) {
                SamplerConvergence.Row floor = all.get(0);
                all.set(0, new SamplerConvergence.Row(floor.sampler(), 0, 0, floor.slicedWasserstein(), 0, ownError, 0, Double.NaN));
            }
            return all;
        }, fraction -> {
            if (!cancelled.getAsBoolean()) progress.set(fraction);
        }, result -> {
            if (cancelled.getAsBoolean()) return;
            computing.set(false);
            progress.set(1);
            rows.set(List.copyOf(result));
        }, e -> {
            computing.set(false);
            onError.accept("Computing the convergence chart", e);
        });
    }

    /** The curves of {@code result} by {@code measure} (see {@link #curvesProperty}). */
    public static List<Curve> curves(List<SamplerConvergence.Row> result, Measure measure) {
        Map<String, List<SamplerConvergence.Row>> bySampler = new LinkedHashMap<>();
        double floor = Double.NaN;
        int maxNfe = 1;
        for (SamplerConvergence.Row r : result) {
            if (r.sampler().equals("exact")) floor = r.slicedWasserstein();
            else bySampler.computeIfAbsent(r.sampler(), k -> new ArrayList<>()).add(r);
            maxNfe = Math.max(maxNfe, r.nfe());
        }
        ToDoubleFunction<SamplerConvergence.Row> error = measure != Measure.ODE
                ? SamplerConvergence.Row::slicedWasserstein : SamplerConvergence.Row::odeRms;
        List<Curve> out = new ArrayList<>();
        bySampler.forEach((name, rs) -> {
            double[] x = rs.stream().mapToDouble(SamplerConvergence.Row::nfe).toArray();
            double[] y = rs.stream().mapToDouble(error).toArray();
            if (java.util.Arrays.stream(y).anyMatch(Double::isFinite)) {
                out.add(new Curve(name, colour(name), x, y, x, y));
            }
        });
        if (measure != Measure.ODE && Double.isFinite(floor)) {
            out.add(new Curve(FLOOR, FLAT_LINE_COLOUR,
                    new double[] {1, maxNfe}, new double[] {floor, floor}));
        }
        double own = referenceError(result);
        if (measure == Measure.ODE && own > 0 && !out.isEmpty()) {
            out.add(new Curve(REFERENCE_ERROR, FLAT_LINE_COLOUR,
                    new double[] {1, maxNfe}, new double[] {own, own}));
        }
        return out;
    }

    /**
     * A curve's palette index (of {@code ChartStyle.PALETTE_SIZE} = 8): its sampler's, moved 5 along the
     * palette for the exact flow and 10 for the reflowed one, so the default lanes (ddpm, ddim,
     * dpm-solver++, rk4 · flow) and the floor all differ. Eight colours cannot keep every mix apart.
     */
    public static int colour(String name) {
        return (SamplerKind.parse(LaneProcess.samplerName(name)).ordinal() + 5 * LaneProcess.ofName(name).ordinal()) % 8;
    }

    /** The floor's and the reference error's palette index: after the seven diffusion samplers, as before the flows. */
    static final int FLAT_LINE_COLOUR = SamplerKind.DIFFUSION.size();

    /** The flat line of the truth view: exact samples scored like the samplers. */
    public static final String FLOOR = "exact floor";
    /** The flat line of the ODE view: how far the reference moves when its steps are halved. */
    public static final String REFERENCE_ERROR = "exact solution's own error";
    /** An error closer than this factor to the reference's own error says nothing about the order. */
    static final double RESOLVABLE = 10;

    /** The reference solutions' error estimate of a result (its "exact" row), NaN if unknown. */
    static double referenceError(List<SamplerConvergence.Row> result) {
        return result.stream().filter(r -> r.sampler().equals("exact")).mapToDouble(SamplerConvergence.Row::odeRms)
                .findFirst().orElse(Double.NaN);
    }

    /** {@link #orderText(List, String, int)} for the rows shown, of {@link LabRun#POINTS} points. */
    public String orderText(String sampler) {
        return orderText(rows.get(), sampler, LabRun.POINTS);
    }

    /**
     * What can be said of a sampler's order against the exact ODE solution, from its last two step
     * counts: "order ≈ 2.0" where the RMS slope means it; "order ≈ 2.0 on 1,999 of 2,000 points"
     * where some points were carried to another part of the data ({@link SamplerConvergence.Row#odeFar})
     * and set the RMS on their own (the order is then that of the others); "order ?" where the
     * error is within {@link #RESOLVABLE}× of the reference's own.
     */
    public static String orderText(List<SamplerConvergence.Row> result, String sampler, int points) {
        List<SamplerConvergence.Row> mine = result.stream().filter(r -> r.sampler().equals(sampler))
                .sorted(java.util.Comparator.comparingInt(SamplerConvergence.Row::nfe)).toList();
        if (mine.size() < 2) return "order —";
        SamplerConvergence.Row a = mine.get(mine.size() - 2), b = mine.get(mine.size() - 1);
        double own = referenceError(result);
        if (own > 0 && b.odeRms() < RESOLVABLE * own) {
            return String.format(java.util.Locale.ROOT, "order ? (within %.0f× of the exact solution's error)", RESOLVABLE);
        }
        if (a.odeFar() == 0 && b.odeFar() == 0) {
            return String.format(java.util.Locale.ROOT, "order ≈ %.1f", order(a, b, false));
        }
        double near = order(a, b, true);
        return Double.isFinite(near)
                ? String.format(java.util.Locale.ROOT, "order ≈ %.1f on %,d of %,d points", near, points - b.odeFar(), points)
                : String.format(java.util.Locale.ROOT, "order ? (%,d of %,d points end elsewhere)", b.odeFar(), points);
    }

    private static double order(SamplerConvergence.Row a, SamplerConvergence.Row b, boolean near) {
        double e1 = near ? a.odeRmsNear() : a.odeRms(), e2 = near ? b.odeRmsNear() : b.odeRms();
        if (!(e1 > 0 && e2 > 0)) return Double.NaN;
        return -Math.log(e2 / e1) / Math.log((double) b.nfe() / a.nfe());
    }

    /**
     * The empirical order of a curve: −Δlog(error)/Δlog(NFE) between its last two points (the
     * most steps, closest to the asymptotic regime); NaN if they are not both positive.
     */
    public static double order(Curve curve) {
        int n = curve.x().length;
        if (n < 2) return Double.NaN;
        double e1 = curve.y()[n - 2], e2 = curve.y()[n - 1];
        if (!(e1 > 0 && e2 > 0)) return Double.NaN;
        return -Math.log(e2 / e1) / Math.log(curve.x()[n - 1] / curve.x()[n - 2]);
    }
}
