package org.diffusionplayground.model.bench;

import org.diffusionplayground.model.objective.GaussianDiffusion;
import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.train.TrainConfig;
import org.diffusionplayground.model.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.runtime.ProcessMemory;
import org.diffusionplayground.model.sampling.ClassChoice;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times a U-Net config: forward passes at given batch sizes (median of {@code reps} after two
 * warm-up calls, the batch built inside the timing), both through the fast inference pass
 * ({@link UNet#predict}) and through SameDiff's {@code output} ({@link UNet#predictWithGraph}),
 * and training steps through the real {@link Trainer} (median step time after two warm-up steps,
 * batch building included; run first, so the peak RSS after them is training's own), with the
 * process's peak RSS after each part; and the user-facing figure, a guided 4×4 grid. The PyTorch
 * peer ({@code assets/peer/unet_torch.py}, {@code bench compare --network unet}) times the same
 * two figures the same way.
 */
public final class NetworkBenchmark {

    /**
     * @param forwardMs      median ms per fast forward pass, one per batch size
     * @param graphForwardMs the same through SameDiff's inference session
     * @param peakRssAfterTrain peak RSS in bytes after the training steps, which run first (−1 if unknown)
     * @param peakRssAfterAll   the same after the forward passes too
     */
    public record Result(String name, long parameters, int[] batches, double[] forwardMs, double[] graphForwardMs,
                         int trainBatch, double trainStepMs, long peakRssAfterTrain, long peakRssAfterAll) {
    }

    private NetworkBenchmark() {
    }

    public static Result run(String name, UNetConfig config, int[] batches, int reps, int trainBatch, int trainSteps)
            throws IOException {
        double step = trainSteps > 0 ? trainStepMs(config, trainBatch, trainSteps, true) : Double.NaN;
        long afterTrain = ProcessMemory.peakRss(); // first, so it is training's own high-water mark
        UNet net = UNet.create(config, 1);
        double[] forward = new double[batches.length], graph = new double[batches.length];
        for (int i = 0; i < batches.length; i++) {
            forward[i] = forwardMs(net, batches[i], reps, false);
            graph[i] = forwardMs(net, batches[i], reps, true);
        }
        return new Result(name, net.parameterCount(), batches.clone(), forward, graph, trainBatch, step, afterTrain,
                ProcessMemory.peakRss());
    }

    /**
     * The figure a user feels: ms for a 4×4 grid, classes i mod 10, guidance w = 3 (conditional
     * and unconditional halves in one batch of 32), 20 log-SNR-spaced DPM-Solver++ steps; the
     * median of {@code reps} after two warm-ups.
     */
    public static double guidedGridMs(UNet net, int reps) {
        int[] labels = ClassChoice.labels(ClassChoice.EACH, 16, net.numClasses());
        var recipe = new SamplerRun(SamplerKind.DPM_SOLVER_PP, SamplerOptions.defaults(), Spacing.LOGSNR, 20, 3.0, X0Clip.NONE);
        return medianMs(reps, () -> recipe.run(net, new long[] {16, 1, 28, 28}, labels, 1));
    }

    /**
     * Sampling memory over a long run: {@code runs} DDIM runs of the schedule's every step (T, 1,000
     * for the shipped model) one after another, a 4×4 grid of classes i mod 10 unguided, as the
     * Reverse page would run them; the process's RSS in bytes after each run.
     */
    public static long[] samplingRss(UNet net, int runs) {
        int[] labels = ClassChoice.labels(ClassChoice.EACH, 16, net.numClasses());
        int steps = net.schedule().steps();
        var recipe = new SamplerRun(SamplerKind.DDIM, SamplerOptions.defaults(), Spacing.LINEAR, steps, 1.0, X0Clip.NONE);
        long[] rss = new long[runs];
        for (int r = 0; r < runs; r++) {
            recipe.run(net, new long[] {16, 1, 28, 28}, labels, r);
            rss[r] = ProcessMemory.rss();
        }
        return rss;
    }

    /**
     * The median ms of {@code reps} forward passes at batch {@code b} after two warm-ups, each
     * building its batch (x ~ N(0, I), random labels including the null class, t = 0.5) inside
     * the timing, as the PyTorch peer builds its own.
     *
     * @param graph through SameDiff's {@code output} instead of the fast pass
     */
    public static double forwardMs(UNet net, int b, int reps, boolean graph) {
        Noise noise = new Noise(2);
        int s = UNetConfig.SIZE;
        return medianMs(reps, () -> {
            INDArray x = noise.normal(b, 1, s, s);
            int[] labels = new int[b];
            for (int j = 0; j < b; j++) labels[j] = noise.nextInt(net.numClasses() + 1);
            INDArray cond = Nd4j.createFromArray(labels);
            INDArray t = Nd4j.valueArrayOf(new long[] {b}, 0.5f);
            if (graph) net.predictWithGraph(x, t, cond);
            else net.predict(x, t, cond);
        });
    }

    private static double medianMs(int reps, Runnable work) {
        double[] ms = new double[reps + 2];
        for (int r = 0; r < ms.length; r++) {
            long t0 = System.nanoTime();
            work.run();
            ms[r] = (System.nanoTime() - t0) / 1e6;
            OpClock.lap(OpClock.WHOLE, t0);
            if (r == 1) OpClock.reset(); // a profile (bench profile) counts the timed passes only
        }
        return median(Arrays.copyOfRange(ms, 2, ms.length));
    }

    /**
     * The median ms of {@code steps} training steps at batch {@code batch} through the
     * {@link Trainer} (batch drawn from {@code max(batch, 256)} random images, forward, loss,
     * backward, Adam with update clipping, the NaN check, the EMA), after two warm-up steps.
     *
     * @param split whether the network may use a second core ({@link UNet#splitBatches})
     */
    public static double trainStepMs(UNetConfig config, int batch, int steps, boolean split) throws IOException {
        Noise noise = new Noise(3);
        int n = Math.max(batch, 256);
        float[] pixels = noise.normal((long) n * (28 * 28)).toFloatVector();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = noise.nextInt(config.numClasses());
        TrainingSet data = TrainingSet.images(pixels, labels, config.numClasses());
        Path dir = Files.createTempDirectory("bench-train");
        try {
            TrainConfig train = new TrainConfig(steps + 2, batch, 1e-3, 0, 0, 0.999, 0, 0.1, 1_000_000, 1.0, 4);
            Trainer trainer = Trainer.fresh(config, GaussianDiffusion.of(config, data), train, dir);
            trainer.network().splitBatches(split);
            List<Long> stamps = new ArrayList<>();
            trainer.addListener(s -> {
                if (!stamps.isEmpty()) OpClock.lap(OpClock.WHOLE, stamps.get(stamps.size() - 1));
                stamps.add(System.nanoTime());
                if (stamps.size() == 2) OpClock.reset(); // a profile counts the timed steps only
            });
            trainer.run();
            double[] ms = new double[stamps.size() - 2];
            for (int i = 2; i < stamps.size(); i++) ms[i - 2] = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
            return median(ms);
        } finally {
            System.gc(); // the trainer's network, tapes and Adam state live off-heap until their wrappers are collected
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The PyTorch peer's "config" command for {@code c} with {@code threads} threads; the peer
     * knows DDPM's linear schedule with ε or v targets only.
     */
    public static String peerConfig(UNetConfig c, int threads) {
        Parameterization p = c.parameterization();
        if (!UNetConfig.LINEAR.equals(c.schedule()) || (p != Parameterization.EPS && p != Parameterization.V)) {
            throw new IllegalArgumentException("the PyTorch U-Net trains ε or v under the linear schedule, not %s under %s"
                    .formatted(p, c.schedule()));
        }
        return "config %d %d %d %d %d %d %d %d %s %d".formatted(c.channels1(), c.channels2(), c.channels3(), c.groups(),
                c.attention() ? 1 : 0, c.numClasses(), 2 * (c.timeFeatures() / 2), c.embedDim(),
                p.name().toLowerCase(Locale.ROOT), threads);
    }

    /** The median of {@code values}. */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
