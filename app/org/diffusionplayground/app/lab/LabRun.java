package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.eval.SlicedWasserstein;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingListener;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.sampling.StepEvent;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The 2-D lab's computations, off the UI thread: the data and reference samples of a toy
 * dataset, and reverse runs of several samplers on its exact (oracle) denoiser from one shared
 * x_T, recorded frame by frame as plain float arrays. Each lane is one {@link SamplerRun} (the
 * recipe {@code bench samplers} runs) and the truth comes from {@link SamplerConvergence#truth}, so
 * a lab run reports the same sliced-Wasserstein distance as {@code bench samplers} for the same
 * settings.
 */
public final class LabRun {

    public static final int POINTS = 2000;
    public static final int REFERENCE = 20_000;
    public static final int PROJECTIONS = 256;

    private LabRun() {
    }

    /** What one reverse run needs. */
    public record Settings(ToyDataset dataset, ScheduleKind schedule, Spacing spacing, SamplerOptions options,
                           int steps, long seed) {
        public Settings {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(spacing, "spacing");
            Objects.requireNonNull(options, "options");
            if (steps < 1 || steps > 1000) throw new IllegalArgumentException("steps (%d) must be in [1, 1000]".formatted(steps));
        }
    }

    /**
     * A dataset's samples: x0 and a fixed ε for the forward scrub, the first {@link #POINTS}
     * reference points (drawn faintly), the scorer and the exact floor.
     */
    public record Data(ToyDataset dataset, long seed, float[] x0, float[] eps, float[] referenceShown,
                       SlicedWasserstein.Reference scorer, double floor) {
    }

    /**
     * One sampler's run: frame k (0 … steps) is x after k steps (frame 0 = x_T) at time
     * {@code times[k]} (the last is 0); {@code predX0[k]} is the model's x̂0 at frame k's time
     * (the final frame's is the final x).
     */
    public record Lane(SamplerKind sampler, double[] times, float[][] x, float[][] predX0, int nfe,
                       double slicedWasserstein, double millis) {
        public int frames() { return x.length; }
    }

    /** Samples the dataset: x0 and ε of {@link #POINTS} points, the reference and its floor. */
    public static Data data(ToyDataset dataset, long seed) {
        try (Threads single = Threads.limit(1)) {
            SamplerConvergence.Truth truth = SamplerConvergence.truth(dataset, POINTS, REFERENCE, PROJECTIONS, seed);
            float[] eps = flat(new Noise(seed + 2, DataType.FLOAT).normal(POINTS, 2));
            float[] shown = flat(truth.reference().get(NDArrayIndex.interval(0, POINTS), NDArrayIndex.all()));
            return new Data(dataset, seed, flat(truth.exact()), eps, shown, truth.scorer(), truth.floor());
        }
    }

    /** Runs each sampler from the same x_T; stops between steps when {@code cancelled} says so (then returns what finished). */
    public static List<Lane> reverse(Settings settings, Data data, List<SamplerKind> samplers, BooleanSupplier cancelled) {
        try (Threads single = Threads.limit(1)) {
            Denoiser oracle = settings.dataset().mixture().oracle(settings.schedule().create());
            List<Lane> lanes = new ArrayList<>();
            for (SamplerKind kind : samplers) {
                if (cancelled.getAsBoolean()) break;
                lanes.add(lane(kind, settings, oracle, data, cancelled));
            }
            return lanes;
        }
    }

    /** [n, 2] → interleaved x, y as float. */
    static float[] flat(INDArray points) {
        return points.castTo(DataType.FLOAT).dup('c').reshape(points.length()).toFloatVector();
    }

    private static Lane lane(SamplerKind kind, Settings settings, Denoiser oracle, Data data, BooleanSupplier cancelled) {
        int n = settings.steps();
        float[][] x = new float[n + 1][], predX0 = new float[n + 1][];
        double[] times = new double[n + 1];
        long start = System.nanoTime();
        var recipe = new SamplerRun(kind, settings.options(), settings.spacing(), n);
        SamplingLoop.Result result = recipe.run(oracle, new long[] {POINTS, 2}, null, settings.seed(), new SamplingListener() {
            @Override public void onStart(double t, INDArray xT) {
                x[0] = flat(xT);
                times[0] = t;
            }

            @Override public void onStep(StepEvent e) {
                x[e.index() + 1] = flat(e.x());
                predX0[e.index()] = flat(e.predX0());
                times[e.index() + 1] = e.tPrev();
            }
        }, cancelled);
        double millis = (System.nanoTime() - start) / 1e6;
        if (result.cancelled()) return new Lane(kind, times, x, predX0, result.nfe(), Double.NaN, millis);
        predX0[n] = x[n];
        double sw = data.scorer().distanceTo(result.x());
        return new Lane(kind, times, x, predX0, result.nfe(), sw, millis);
    }
}
