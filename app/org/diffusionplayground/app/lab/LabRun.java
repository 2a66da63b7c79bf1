package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.eval.SlicedWasserstein;
import org.diffusionplayground.model.eval.Straightness;
import org.diffusionplayground.model.nn.HeapArrays;
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
 * dataset, and reverse runs of several samplers on its exact (oracle) denoiser, its exact flow
 * or its reflowed flow ({@link LaneProcess}) from one shared x_T, recorded frame by frame as
 * plain float arrays, with the straightness of every point's path. Each lane is one {@link SamplerRun} (the
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

    /** What one lane runs: a sampler on a process (diffusion, the exact flow, or the reflowed flow). */
    public record Choice(SamplerKind sampler, LaneProcess process) {
        public Choice {
            Objects.requireNonNull(sampler, "sampler");
            Objects.requireNonNull(process, "process");
        }

        /** "ddim", "rk4 · flow": the legend's name for it. */
        public String name() { return sampler.cliName() + process.suffix(); }
    }

    /**
     * One sampler's run: frame k (0 … steps) is x after k steps (frame 0 = x_T) at time
     * {@code times[k]} (the last is 0); {@code predX0[k]} is the model's x̂0 at frame k's time
     * (the final frame's is the final x); {@code straightness} of the paths of all its points
     * through its frames (null if cancelled).
     */
    public record Lane(SamplerKind sampler, LaneProcess process, double[] times, float[][] x, float[][] predX0, int nfe,
                       double slicedWasserstein, double millis, Straightness straightness) {
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

    /** Diffusion lanes only: {@link #reverse(Settings, Data, List, Denoiser, BooleanSupplier)} of these samplers. */
    public static List<Lane> reverse(Settings settings, Data data, List<SamplerKind> samplers, BooleanSupplier cancelled) {
        return reverse(settings, data, samplers.stream().map(k -> new Choice(k, LaneProcess.DIFFUSION)).toList(), null, cancelled);
    }

    /**
     * Runs each lane from the same x_T (diffusion on the settings' schedule, flows on the linear
     * interpolant: x_T ~ N(0, I) is the start of both); stops between steps when {@code cancelled}
     * says so (then returns what finished). {@code reflowed} is needed for REFLOW lanes only.
     */
    public static List<Lane> reverse(Settings settings, Data data, List<Choice> choices, Denoiser reflowed,
                                     BooleanSupplier cancelled) {
        try (Threads single = Threads.limit(1)) {
            List<Lane> lanes = new ArrayList<>();
            for (Choice c : choices) {
                if (cancelled.getAsBoolean()) break;
                Denoiser model = c.process().model(settings.dataset(), settings.schedule(), reflowed);
                lanes.add(lane(c, settings, model, data, cancelled));
            }
            return lanes;
        }
    }

    /** [n, 2] → interleaved x, y as float. */
    static float[] flat(INDArray points) {
        return HeapArrays.floats(points);
    }

    private static Lane lane(Choice choice, Settings settings, Denoiser oracle, Data data, BooleanSupplier cancelled) {
        SamplerKind kind = choice.sampler();
        int n = settings.steps();
        float[][] x = new float[n + 1][], predX0 = new float[n + 1][];
        double[] times = new double[n + 1];
        long start = System.nanoTime();
        var recipe = new SamplerRun(kind, settings.options(), choice.process().spacing(settings.spacing()), n);
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
        if (result.cancelled()) return new Lane(kind, choice.process(), times, x, predX0, result.nfe(), Double.NaN, millis, null);
        predX0[n] = x[n];
        double sw = data.scorer().distanceTo(result.x());
        return new Lane(kind, choice.process(), times, x, predX0, result.nfe(), sw, millis, Straightness.of(x));
    }
}
