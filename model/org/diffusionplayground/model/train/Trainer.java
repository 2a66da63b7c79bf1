package org.diffusionplayground.model.train;

import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.data.TrainingImages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.objective.MeanSquaredError;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.nn.unet.UNetGraph;
import org.diffusionplayground.model.runtime.ProcessMemory;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.RampSchedule;

/**
 * Trains a {@link UNet} on noised images (Ho et al. 2020, Alg. 1; the batches are built by
 * {@link NoisedBatches}) with Adam or AdamW, an EMA of the weights, per-tensor update clipping and
 * atomic checkpoints. Each step is the network's own forward and backward pass
 * ({@link UNet#gradients}: oneDNN convolutions and fused Java kernels, about 2–3× faster than
 * SameDiff's {@code fit} and in a fraction of its memory), then ND4J's Adam updater per weight in
 * the order SameDiff's fit applies it, so the optimiser state in checkpoints is SameDiff's and
 * runs begun under {@code fit} resume here.
 *
 * <p>Gradient clipping: each tensor's Adam update is capped at RMS ≤ updateClip·lr (Adafactor's
 * update clipping, Shazeer &amp; Stern 2018, §6), which bounds the damage of a gradient spike
 * (kept per tensor, as it was under SameDiff's fit, which never exposed a global norm).
 *
 * <p>{@link #run()} blocks; {@link #start()} runs it on a new thread. {@link #pause()},
 * {@link #resume()} and {@link #stop()} act between steps and may be called from any thread.
 */
public final class Trainer {

    /**
     * Resident-memory growth (bytes) that triggers an explicit garbage collection. ND4J frees
     * off-heap arrays only when their Java handles are collected, and the small Java heap rarely
     * fills. Under SameDiff's fit every step left its activations behind (~100 MB at batch 64 for
     * the small model) and this took peak RSS from 1.83 to 1.23 GB (MALLOC_MMAP_THRESHOLD_=131072).
     * The hand-written passes reuse their buffers, so now only small per-step arrays (the batch,
     * Adam's temporaries) accumulate and the GC is rare; it stays as a bound. Where RSS cannot be
     * read (not Linux), every {@link #GC_EVERY} steps instead.
     */
    static final long GC_GROWTH = 384L << 20;
    static final int GC_EVERY = 4;

    private static final MeanSquaredError LOSS = new MeanSquaredError();

    private final UNet net;
    private final TrainConfig config;
    private final TrainingImages data;
    private final RunFolder folder;
    private final Map<String, Map<String, INDArray>> savedOptimizer;
    private final Ema ema;
    private final List<TrainListener> listeners = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean paused;
    private boolean ran;
    private volatile boolean stopRequested;
    private volatile int step; // written by the training thread only
    private int savedStep = -1;
    private double lastLoss = Double.NaN;
    private Path lastCheckpoint;
    private String divergence;
    private long stepStart;
    private double secondsPerStep = Double.NaN;
    private long rssAfterGc;

    private Trainer(UNet net, TrainConfig config, TrainingImages data, Path outDir, int step,
                    Map<String, INDArray> emaWeights, Map<String, Map<String, INDArray>> savedOptimizer) {
        if (data.numClasses() > net.config().numClasses() && net.config().numClasses() > 0) {
            throw new IllegalArgumentException("the data has %d classes, the model %d"
                    .formatted(data.numClasses(), net.config().numClasses()));
        }
        this.net = net;
        this.config = config;
        this.data = data;
        this.folder = new RunFolder(outDir);
        this.step = step;
        this.savedStep = step;
        this.savedOptimizer = savedOptimizer;
        this.ema = new Ema(config.emaDecay(), net.weights(), emaWeights);
        Path resumedFrom = folder.checkpointFile(step);
        this.lastCheckpoint = step > 0 && java.nio.file.Files.isRegularFile(resumedFrom) ? resumedFrom : null;
    }

    /** A new run: weights initialised from the training seed. */
    public static Trainer fresh(UNetConfig model, TrainConfig train, TrainingImages data, Path outDir) {
        return new Trainer(UNet.create(model, train.seed()), train, data, outDir, 0, null, null);
    }

    /**
     * Continues a checkpoint's run up to {@code totalSteps} (its own total if ≤ 0), with the
     * same batches, optimiser state and EMA it would have had without the interruption.
     */
    public static Trainer resume(Checkpoint c, TrainingImages data, Path outDir, int totalSteps) {
        if (c.train() == null) throw new IllegalArgumentException("a model file (no training state) cannot be resumed");
        if (c.optimizer().isEmpty()) throw new IllegalArgumentException("the checkpoint holds no optimiser state");
        TrainConfig train = totalSteps > 0 ? c.train().withSteps(totalSteps) : c.train();
        if (train.steps() < c.step()) throw new IllegalArgumentException(
                "steps (%d) is below the checkpoint's step %d".formatted(train.steps(), c.step()));
        UNet net = UNet.withWeights(c.model(), c.weights());
        return new Trainer(net, train, data, outDir, c.step(), c.ema(), c.optimizer());
    }

    public void addListener(TrainListener listener) { listeners.add(listener); }

    public UNet network() { return net; }

    public TrainConfig config() { return config; }

    public int step() { return step; }

    public RunFolder folder() { return folder; }

    /** Runs the training on a new thread named "trainer". */
    public CompletableFuture<TrainOutcome> start() {
        CompletableFuture<TrainOutcome> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "trainer");
        thread.start();
        return result;
    }

    /** Trains until {@code config.steps()}, a stop, or a non-finite loss; blocks. Once per Trainer. */
    public TrainOutcome run() throws IOException {
        if (ran) throw new IllegalStateException("this Trainer has already run; resume from its checkpoint instead");
        ran = true;
        SameDiff sd = net.sameDiff();
        ISchedule lr = new FixedSchedule(config.learningRate());
        if (config.warmupSteps() > 0) lr = new RampSchedule(lr, config.warmupSteps());
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(new Adam(lr))
                .dataSetFeatureMapping(UNetGraph.X, UNetGraph.T, UNetGraph.LABEL)
                .markLabelsUnused(); // fit() is never called: the loss is LOSS, passed to net.gradients
        if (config.weightDecay() > 0) tc.regularization(new WeightDecay(config.weightDecay(), true));
        TrainingConfig training = tc.build();
        training.setIterationCount(step); // Adam's bias correction and the warm-up continue
        sd.setTrainingConfig(training);
        OptimizerState.initialize(sd);
        if (savedOptimizer != null) OptimizerState.restore(sd, savedOptimizer);

        NoisedBatches batches = new NoisedBatches(data, config, net.schedule(), net.parameterization(),
                net.config().numClasses(), step, this::proceed);
        Map<String, INDArray> weights = net.weights();
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        while (batches.hasNext()) {
            MultiDataSet batch = batches.next();
            INDArray[] f = batch.getFeatures(), l = batch.getLabels();
            Network.Gradients g = net.gradients(new Batch(f[0], f[1], f[2], l[0], l[1]), LOSS);
            int iteration = step; // SameDiff's At.iteration(): steps already taken
            double rate = training.getUpdater().getLearningRate(iteration, 0);
            if (Double.isFinite(g.loss())) {
                for (Map.Entry<String, INDArray> w : weights.entrySet()) {
                    update(training, updaters.get(w.getKey()), w.getValue(), g.byWeight().get(w.getKey()), rate, iteration);
                }
            }
            training.incrementIterationCount();
            if (!finishStep(g.loss(), rate, weights)) break;
        }
        if (divergence != null) {
            return new TrainOutcome(TrainOutcome.Status.DIVERGED, step, lastCheckpoint, divergence);
        }
        if (step != savedStep) checkpoint();
        boolean done = step >= config.steps();
        return new TrainOutcome(done ? TrainOutcome.Status.COMPLETED : TrainOutcome.Status.STOPPED, step,
                lastCheckpoint, (done ? "completed %d steps" : "stopped at step %d").formatted(step));
    }

    public void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (gate) {
            return paused;
        }
    }

    /** Stops after the current step; a checkpoint of that step is written. */
    public void stop() {
        stopRequested = true;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private boolean proceed() {
        synchronized (gate) {
            while (paused && !stopRequested) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
        }
        stepStart = System.nanoTime();
        return !stopRequested;
    }

    /** Writes ckpt-NNNNNNN.dpck and model.dpck (EMA only). */
    private void checkpoint() throws IOException {
        Checkpoint c = new Checkpoint(net.config(), config, step, lastLoss, net.weights(), ema.snapshot(),
                OptimizerState.capture(net.sameDiff()));
        Path file = folder.checkpointFile(step);
        CheckpointFile.write(c, file);
        CheckpointFile.write(c.asModel(), folder.modelFile());
        folder.prune();
        lastCheckpoint = file;
        savedStep = step;
        for (TrainListener l : listeners) l.onCheckpoint(step, file);
    }

    private void collectGarbageIfGrown() {
        long rss = ProcessMemory.rss();
        if (rss < 0 ? step % GC_EVERY == 0 : rss - rssAfterGc > GC_GROWTH) {
            System.gc();
            rssAfterGc = Math.max(ProcessMemory.rss(), 0);
        }
    }

    /** A NaN/Inf weight makes its sum non-finite: one native reduction per tensor, ~1 ms a step. */
    private static String nonFiniteWeight(Map<String, INDArray> weights) {
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            if (!Double.isFinite(e.getValue().sumNumber().doubleValue())) return "weight " + e.getKey() + " became NaN/Inf";
        }
        return null;
    }

    /**
     * One weight's optimiser step, in the order SameDiff's TrainingSession applies it:
     * regularisation applied before the updater, Adam (ND4J's own updater, so checkpoints of
     * either engine resume in the other), regularisation applied after it (decoupled weight
     * decay), the update clip, then w ← w − update.
     */
    private void update(TrainingConfig training, GradientUpdater updater, INDArray weight, INDArray grad,
                        double lr, int iteration) {
        for (Regularization r : training.getRegularization()) {
            if (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER) r.apply(weight, grad, lr, iteration, 0);
        }
        updater.applyUpdater(grad, iteration, 0);
        for (Regularization r : training.getRegularization()) {
            if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) r.apply(weight, grad, lr, iteration, 0);
        }
        if (config.updateClip() > 0) {
            double limit = config.updateClip() * lr;
            double rms = grad.norm2Number().doubleValue() / Math.sqrt(grad.length());
            if (rms > limit) grad.muli(limit / rms);
        }
        weight.subi(grad);
    }

    /** After a step: NaN check, EMA, listeners, GC, checkpoint. False when the run must stop. */
    private boolean finishStep(double loss, double lr, Map<String, INDArray> weights) throws IOException {
        step++;
        String bad = !Double.isFinite(loss) ? "loss became " + loss : nonFiniteWeight(weights);
        if (bad != null) {
            divergence = "%s at step %d; stopped, %s".formatted(bad, step, lastCheckpoint == null
                    ? "no checkpoint had been written" : "the last good checkpoint is " + lastCheckpoint);
            return false;
        }
        lastLoss = loss;
        ema.update(weights, step);
        double seconds = (System.nanoTime() - stepStart) / 1e9;
        secondsPerStep = Double.isNaN(secondsPerStep) ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
        Duration eta = Duration.ofMillis((long) (1000 * secondsPerStep * (config.steps() - step)));
        TrainStep event = new TrainStep(step, config.steps(), loss, lr, config.batch() / secondsPerStep, eta);
        for (TrainListener l : listeners) l.onStep(event);
        collectGarbageIfGrown();
        if (step % config.checkpointEvery() == 0) checkpoint();
        return true;
    }
}
