package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.sampling.SamplerRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sampler × steps on a toy dataset's exact denoiser: NFE, the sliced-Wasserstein distance of the
 * samples to the true mixture, and wall time. With the oracle the denoiser is exact, so the
 * distance is the sampler's discretisation error plus the finite-sample floor, which is
 * reported too (exact mixture samples measured the same way). Every case starts from the same
 * x_T and is scored with the same projections against the same reference sample ({@link #truth}).
 * On request each deterministic case is also scored against the exact ODE solution from its x_T
 * ({@link OdeReference}), which shows the solver's order without the floor. Runs ND4J
 * single-threaded while it works (see {@link Threads}).
 */
public final class SamplerConvergence {

    /** The steps every sampler is run at by default. */
    public static final List<Integer> DEFAULT_STEPS = List.of(5, 10, 20, 50, 100);

    private SamplerConvergence() {
    }

    /** One cell of the table. */
    public record Case(SamplerKind sampler, int steps) {
        public Case {
            Objects.requireNonNull(sampler, "sampler");
            if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        }
    }

    /**
     * @param dataset     data and oracle
     * @param schedule    the oracle's noise schedule
     * @param spacing     one spacing for every case, so the table compares algorithms
     * @param options     η, order, DDPM variance for every case
     * @param cases       what to run, in order
     * @param n           samples per case
     * @param referenceN  exact mixture samples to compare against
     * @param projections random directions of the sliced-Wasserstein estimate
     * @param seed        seeds x_T, the reference sample and the projections
     * @param odeError    also score each deterministic sampler against the exact ODE solution
     *                    from its x_T ({@link OdeReference}); costs one reference solve per start time
     * @param family      diffusion (the oracle in ε on {@code schedule}) or flow (the oracle's
     *                    velocity on the linear interpolant; {@code schedule} is then unused)
     */
    public record Config(ToyDataset dataset, ScheduleKind schedule, Spacing spacing, SamplerOptions options,
                         List<Case> cases, int n, int referenceN, int projections, long seed, boolean odeError,
                         PathFamily family) {
        public Config {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(spacing, "spacing");
            Objects.requireNonNull(options, "options");
            cases = List.copyOf(cases);
            if (cases.isEmpty()) throw new IllegalArgumentException("no cases to run");
            if (n < 2) throw new IllegalArgumentException("n (%d) must be ≥ 2".formatted(n));
            if (referenceN < 2) throw new IllegalArgumentException("referenceN (%d) must be ≥ 2".formatted(referenceN));
            if (projections < 1) throw new IllegalArgumentException("projections (%d) must be ≥ 1".formatted(projections));
        }

        /** Diffusion. */
        public Config(ToyDataset dataset, ScheduleKind schedule, Spacing spacing, SamplerOptions options,
                      List<Case> cases, int n, int referenceN, int projections, long seed, boolean odeError) {
            this(dataset, schedule, spacing, options, cases, n, referenceN, projections, seed, odeError, PathFamily.DIFFUSION);
        }

        /** Diffusion, without the ODE error. */
        public Config(ToyDataset dataset, ScheduleKind schedule, Spacing spacing, SamplerOptions options,
                      List<Case> cases, int n, int referenceN, int projections, long seed) {
            this(dataset, schedule, spacing, options, cases, n, referenceN, projections, seed, false);
        }

        /** The path the oracle is on: the schedule's, or the linear interpolant for flow. */
        public GaussianPath path() {
            return family.path(schedule);
        }

        /** The exact model of the dataset on that path: ε for diffusion, the velocity for flow. */
        public Denoiser oracle() {
            return dataset.mixture().oracle(path(), family.parameterization());
        }

        public Config withFamily(PathFamily family) {
            return new Config(dataset, schedule, spacing, options, cases, n, referenceN, projections, seed, odeError, family);
        }

        /** ring8, DDPM schedule, log-SNR spacing, every diffusion sampler ({@link SamplerKind#DIFFUSION}) at {@link #DEFAULT_STEPS} (DDPM also at 1000). */
        public static Config defaults() {
            return new Config(ToyDataset.RING8, ScheduleKind.DDPM, Spacing.LOGSNR, SamplerOptions.defaults(),
                    grid(SamplerKind.DIFFUSION, DEFAULT_STEPS), 2000, 20_000, 256, 0);
        }

        public Config withCases(List<Case> cases) {
            return new Config(dataset, schedule, spacing, options, cases, n, referenceN, projections, seed, odeError, family);
        }

        public Config withOdeError(boolean odeError) {
            return new Config(dataset, schedule, spacing, options, cases, n, referenceN, projections, seed, odeError, family);
        }
    }

    /**
     * What every case is scored against, from one seed recipe (shared with the app's lab, so both
     * report the same distances): a reference sample of the data, n exact samples (the floor) and
     * the projected, sorted reference.
     *
     * @param reference [referenceN, 2] exact samples of the dataset, double
     * @param exact     [n, 2] further exact samples, double
     * @param scorer    the reference projected on the benchmark's directions
     * @param floor     SW₂ of {@code exact}: what a perfect sampler scores, on average
     */
    public record Truth(INDArray reference, INDArray exact, SlicedWasserstein.Reference scorer, double floor) {
    }

    /**
     * The reference sample and exact samples come from seed ^ 0x5EED_DA7A (reference first), the
     * projections from seed + 1. Runs ND4J single-threaded.
     */
    public static Truth truth(ToyDataset dataset, int n, int referenceN, int projections, long seed) {
        try (Threads single = Threads.limit(1)) {
            Noise dataNoise = new Noise(seed ^ 0x5EED_DA7AL, DataType.DOUBLE);
            INDArray reference = dataset.sample(referenceN, dataNoise);
            INDArray exact = dataset.sample(n, dataNoise);
            SlicedWasserstein.Reference scorer = SlicedWasserstein.Reference.of(reference, projections, seed + 1);
            return new Truth(reference, exact, scorer, scorer.distanceTo(exact));
        }
    }

    /** {@link #truth(ToyDataset, int, int, int, long)} of a config. */
    public static Truth truth(Config config) {
        return truth(config.dataset(), config.n(), config.referenceN(), config.projections(), config.seed());
    }

    /**
     * One row: {@code sampler} is the CLI name, or "exact" for the finite-sample floor;
     * {@code odeRms} is the RMS distance to the exact ODE solution from the same x_T, NaN when
     * not asked for or when the sampler is stochastic (see {@link OdeReference#followsTheOde});
     * {@code odeFar} of the points end more than {@link #farFromTheOde} from it (carried to another
     * part of the data) and {@code odeRmsNear} is the RMS of the others. In the returned list the
     * "exact" row's {@code odeRms} is the reference solutions' own error estimate
     * ({@link OdeReference#solveChecked}), the largest over the solves of the run.
     */
    public record Row(String sampler, int steps, int nfe, double slicedWasserstein, double millis, double odeRms,
                      int odeFar, double odeRmsNear) {

        /** Without the ODE error. */
        public Row(String sampler, int steps, int nfe, double slicedWasserstein, double millis) {
            this(sampler, steps, nfe, slicedWasserstein, millis, Double.NaN, 0, Double.NaN);
        }
    }

    /** Twice the narrowest component's std: a point this far from the exact solution has left its mode. */
    public static double farFromTheOde(ToyDataset dataset) {
        return 2 * java.util.Arrays.stream(dataset.mixture().stds()).min().orElse(1);
    }

    /** Every sampler at every step count; DDPM (ancestral, the slow one) also at 1000 steps. */
    public static List<Case> grid(List<SamplerKind> samplers, List<Integer> steps) {
        List<Case> cases = new ArrayList<>();
        for (SamplerKind kind : samplers) {
            for (int s : steps) cases.add(new Case(kind, s));
            if (kind.cliName().equals("ddpm") && !steps.contains(1000)) cases.add(new Case(kind, 1000));
        }
        return cases;
    }

    /**
     * Runs the cases in order, reporting each row as it finishes; the first row is the exact
     * floor. Stops between cases when {@code cancelled} says so.
     */
    public static List<Row> run(Config config, Consumer<Row> onRow, BooleanSupplier cancelled) {
        return run(config, null, onRow, cancelled);
    }

    /**
     * As {@link #run(Config, Consumer, BooleanSupplier)} with {@code model} in place of the
     * config's oracle (null: the oracle) — a trained 2-D model such as a reflowed flow, on the
     * config's path. Its "ODE error" is then against the exact solution of its own ODE: pure
     * integration error, whatever the network's own error.
     */
    public static List<Row> run(Config config, Denoiser model, Consumer<Row> onRow, BooleanSupplier cancelled) {
        try (Threads single = Threads.limit(1)) { // 2-D arrays: threads cost more than they give
            return runCases(config, model, onRow, cancelled);
        }
    }

    private static List<Row> runCases(Config config, Denoiser model, Consumer<Row> onRow, BooleanSupplier cancelled) {
        GaussianPath schedule = config.path();
        Denoiser oracle = model != null ? model : config.oracle();
        Truth truth = truth(config);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("exact", 0, 0, truth.floor(), 0));
        onRow.accept(rows.get(0));
        warmUp(oracle);
        double referenceError = Double.NaN, far = farFromTheOde(config.dataset());
        for (Case c : config.cases()) {
            if (cancelled.getAsBoolean()) break;
            SamplerRun recipe = new SamplerRun(c.sampler(), config.options(), config.spacing(), c.steps());
            long start = System.nanoTime();
            SamplingLoop.Result result = recipe.run(oracle, config.n(), config.seed());
            double millis = (System.nanoTime() - start) / 1e6;
            double sw = truth.scorer().distanceTo(result.x());
            OdeReference.Errors ode = new OdeReference.Errors(Double.NaN, 0, Double.NaN, Double.NaN);
            double[] times = config.spacing().times(schedule, c.steps());
            if (config.odeError() && times.length > 1 && OdeReference.followsTheOde(c.sampler(), config.options())) {
                double tEnd = OdeReference.referenceEnd(c.sampler(), schedule, times[times.length - 1]);
                OdeReference.Checked exact = odeSolution(config, oracle, model, times[0], tEnd, cancelled);
                if (exact == null) break; // cancelled
                ode = OdeReference.errors(result.x(), exact.x(), far);
                if (!(exact.error() <= referenceError)) referenceError = exact.error();
            }
            Row row = new Row(c.sampler().cliName(), c.steps(), result.nfe(), sw, millis, ode.rms(), ode.far(), ode.rmsNear());
            rows.add(row);
            onRow.accept(row);
        }
        Row floor = rows.get(0);
        rows.set(0, new Row(floor.sampler(), 0, 0, floor.slicedWasserstein(), 0, referenceError, 0, Double.NaN));
        return rows;
    }

    /** What an ODE reference solution depends on. */
    private record OdeKey(ToyDataset dataset, ScheduleKind schedule, PathFamily family, Denoiser model, int n, long seed,
                          double tStart, double tEnd) {
    }

    /**
     * The reference solutions of the last few runs (a few thousand 2-D points each), so a lab that
     * changes only its samplers, η or order, or a test suite repeating a configuration, does not
     * solve the same ODE again: at ~1,500 NFE the solve costs more than all the samplers together.
     */
    private static final Map<OdeKey, OdeReference.Checked> ODE_SOLUTIONS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override protected boolean removeEldestEntry(Map.Entry<OdeKey, OdeReference.Checked> eldest) {
                    return size() > 8;
                }
            });

    /** The exact ODE solution from the config's x_T with its error estimate, cached; null if cancelled before it was done. */
    private static OdeReference.Checked odeSolution(Config config, Denoiser oracle, Denoiser model, double tStart, double tEnd,
                                                    BooleanSupplier cancelled) {
        OdeKey key = new OdeKey(config.dataset(), config.family() == PathFamily.FLOW ? null : config.schedule(),
                config.family(), model, config.n(), config.seed(), tStart, tEnd);
        OdeReference.Checked cached = ODE_SOLUTIONS.get(key);
        if (cached != null) return cached;
        INDArray xT = SamplerRun.startNoise(config.n(), config.seed());
        OdeReference.Checked solved = model != null && config.family() == PathFamily.FLOW // a trained flow: in t (see there)
                ? OdeReference.solveInTimeChecked(oracle, xT, tStart, tEnd, OdeReference.TIME_STEPS, cancelled)
                : OdeReference.solveChecked(oracle, xT, tStart, tEnd, OdeReference.STEPS, cancelled);
        if (cancelled.getAsBoolean()) return null; // may be unfinished: not kept
        ODE_SOLUTIONS.put(key, solved);
        return solved;
    }

    public static List<Row> run(Config config) {
        return run(config, row -> { }, () -> false);
    }

    /** A tiny untimed run, so the first timed case does not pay for ND4J's start-up. */
    private static void warmUp(Denoiser oracle) {
        new SamplerRun(SamplerKind.values()[0], SamplerOptions.defaults(), Spacing.LINEAR, 4).run(oracle, 16, 0);
    }
}
