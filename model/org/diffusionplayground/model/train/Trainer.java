package org.diffusionplayground.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.LaneSums;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.objective.Objective;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.runtime.ProcessMemory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains any {@link Network} on an {@link Objective} (over its data): each step draws
 * batch k from the objective (a pure function of the seed and k), runs the network's forward and
 * backward pass with the objective's loss, and takes an {@link Optimizer} step (Adam or AdamW,
 * warm-up, update clipping); then an EMA of the weights, listeners, and atomic checkpoints that
 * name the network's architecture. A resumed run repeats the uninterrupted one bit for bit: the
 * checkpoint holds the step, the weights, their EMA and Adam's moments.
 *
 * <p>{@link #run()} blocks; {@link #start()} runs it on a new thread. {@link #pause()},
 * {@link #resume()} and {@link #stop()} act between steps and may be called from any thread. A
 * non-finite loss or weight stops the run and keeps the last good checkpoint.
 */
public final class Trainer {

    /**
     * Resident-memory growth (bytes) that triggers an explicit garbage collection. ND4J frees
     * off-heap arrays only when their Java handles are collected, and the small Java heap rarely
     * fills. Networks whose passes reuse their buffers leave only small per-step arrays (the batch,
     * Adam's temporaries), so the GC is rare; it stays as a bound for any network. Where RSS cannot be
     * read (not Linux), every {@link #GC_EVERY} steps instead.
     */
    static final long GC_GROWTH = 384L << 20;
    static final int GC_EVERY = 4;

    private final Network net;
    private final Objective objective;
    private final TrainConfig config;
    private final RunFolder folder;
    private final Optimizer optimizer;
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

    private Trainer(Network net, Objective objective, TrainConfig config, Path outDir, int step,
                    Map<String, INDArray> emaWeights) {
        this.net = net;
        this.objective = objective;
        this.config = config;
        this.folder = new RunFolder(outDir);
        this.step = step;
        this.savedStep = step;
        this.optimizer = new Optimizer(config, net.weights());
        this.ema = new Ema(config.emaDecay(), net.weights(), emaWeights);
        Path resumedFrom = folder.checkpointFile(step);
        this.lastCheckpoint = step > 0 && Files.isRegularFile(resumedFrom) ? resumedFrom : null;
    }

    /** A new run of a network of {@code model}, its weights initialised from the training seed. */
    public static Trainer fresh(NetworkConfig model, Objective objective, TrainConfig train, Path outDir) {
        return new Trainer(model.create(train.seed()), objective, train, outDir, 0, null);
    }

    /**
     * Continues a checkpoint's run up to {@code totalSteps} (its own total if ≤ 0), with the
     * same batches, optimiser state and EMA it would have had without the interruption.
     */
    public static Trainer resume(Checkpoint c, Objective objective, Path outDir, int totalSteps)
            throws IOException {
        if (c.train() == null) throw new IllegalArgumentException("a model file (no training state) cannot be resumed");
        if (c.optimizer().isEmpty()) throw new IllegalArgumentException("the checkpoint holds no optimiser state");
        TrainConfig train = totalSteps > 0 ? c.train().withSteps(totalSteps) : c.train();
        if (train.steps() < c.step()) throw new IllegalArgumentException(
                "steps (%d) is below the checkpoint's step %d".formatted(train.steps(), c.step()));
        Network net = c.model().create(0);
        net.setWeights(c.weights());
        Trainer trainer = new Trainer(net, objective, train, outDir, c.step(), c.ema());
        trainer.optimizer.restore(c.optimizer());
        return trainer;
    }

    public void addListener(TrainListener listener) { listeners.add(listener); }

    public Network network() { return net; }

    public Objective objective() { return objective; }

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
        Map<String, INDArray> weights = net.weights();
        while (step < config.steps() && proceed()) {
            long t0 = OpClock.start();
            Batch batch = objective.batch(config, step);
            OpClock.lap("step: batch", t0);
            Network.Gradients g = net.gradients(batch, objective.loss());
            int iteration = step; // steps already taken: Adam's bias correction and the warm-up read it
            t0 = OpClock.start();
            if (Double.isFinite(g.loss())) optimizer.step(weights, g.byWeight(), iteration);
            OpClock.lap("step: optimizer", t0);
            if (!finishStep(g.loss(), optimizer.learningRate(iteration), weights)) break;
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
                optimizer.capture());
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

    /**
     * A NaN/Inf weight makes its sum non-finite: each weight read in bulk and summed in Java (one
     * native sum per tensor cost 7–9 ms a step for the reference U-Net, most of it dispatch).
     */
    private String nonFiniteWeight(Map<String, INDArray> weights) {
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            read = HeapArrays.floats(e.getValue(), read);
            if (!Double.isFinite(LaneSums.sum(read, 0, (int) e.getValue().length()))) return "weight " + e.getKey() + " became NaN/Inf";
        }
        return null;
    }

    private float[] read = new float[0];

    /** After a step: NaN check, EMA, listeners, GC, checkpoint. False when the run must stop. */
    private boolean finishStep(double loss, double lr, Map<String, INDArray> weights) throws IOException {
        step++;
        long t0 = OpClock.start();
        String bad = !Double.isFinite(loss) ? "loss became " + loss : nonFiniteWeight(weights);
        t0 = OpClock.lap("step: NaN check", t0);
        if (bad != null) {
            divergence = "%s at step %d; stopped, %s".formatted(bad, step, lastCheckpoint == null
                    ? "no checkpoint had been written" : "the last good checkpoint is " + lastCheckpoint);
            return false;
        }
        lastLoss = loss;
        ema.update(weights, step);
        OpClock.lap("step: EMA", t0);
        double seconds = (System.nanoTime() - stepStart) / 1e9;
        secondsPerStep = Double.isNaN(secondsPerStep) ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
        Duration eta = Duration.ofMillis((long) (1000 * secondsPerStep * (config.steps() - step)));
        TrainStep event = new TrainStep(step, config.steps(), loss, lr, config.batch() / secondsPerStep, eta);
        for (TrainListener l : listeners) l.onStep(event);
        t0 = OpClock.start();
        collectGarbageIfGrown();
        OpClock.lap("step: GC", t0);
        if (step % config.checkpointEvery() == 0) checkpoint();
        return true;
    }
}
