package org.diffusionplayground.model.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.diffusionplayground.model.nn.UNet;
import org.diffusionplayground.model.nn.UNetConfig;
import org.diffusionplayground.model.nn.UNetGraph;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.RampSchedule;

/**
 * Trains a {@link UNet} on noised images (Ho et al. 2020, Alg. 1; the batches are built by
 * {@link NoisedBatches}) with Adam or AdamW, an EMA of the weights, per-tensor update clipping and
 * atomic checkpoints. The whole run is ONE {@code sd.fit(iterator, 1)} call (ND4J-NOTES: a fit
 * per step rebuilds the training session and is ~2× slower); progress, EMA, clipping and
 * checkpoints hang off a SameDiff listener.
 *
 * <p>Gradient clipping: ND4J's fit applies the updater to each weight as soon as its gradient
 * exists (TrainingSession.getOutputs), so no global gradient norm is ever available. Instead each
 * tensor's Adam update is capped at RMS ≤ updateClip·lr (Adafactor's update clipping, Shazeer &amp;
 * Stern 2018, §6), which bounds the damage of a gradient spike the same way.
 *
 * <p>{@link #run()} blocks; {@link #start()} runs it on a new thread. {@link #pause()},
 * {@link #resume()} and {@link #stop()} act between steps and may be called from any thread.
 */
public final class Trainer {

    private final UNet net;
    private final TrainConfig config;
    private final TrainingImages data;
    private final RunFolder folder;
    private final Map<String, Map<String, INDArray>> savedOptimizer;
    private final Ema ema;
    private final List<TrainListener> listeners = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean paused;
    private volatile boolean stopRequested;
    private int step;
    private int savedStep = -1;
    private double lastLoss = Double.NaN;
    private Path lastCheckpoint;
    private String divergence;
    private long stepStart;
    private double secondsPerStep = Double.NaN;

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

    /** Trains until {@code config.steps()}, a stop, or a non-finite loss; blocks. */
    public TrainOutcome run() throws IOException {
        SameDiff sd = net.sameDiff();
        ISchedule lr = new FixedSchedule(config.learningRate());
        if (config.warmupSteps() > 0) lr = new RampSchedule(lr, config.warmupSteps());
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(new Adam(lr))
                .dataSetFeatureMapping(UNetGraph.X, UNetGraph.T, UNetGraph.LABEL)
                .dataSetLabelMapping(UNetGraph.TARGET, UNetGraph.WEIGHT);
        if (config.weightDecay() > 0) tc.regularization(new WeightDecay(config.weightDecay(), true));
        TrainingConfig training = tc.build();
        training.setIterationCount(step); // Adam's bias correction and the warm-up continue
        sd.setTrainingConfig(training);
        if (savedOptimizer != null) OptimizerState.restore(sd, savedOptimizer);

        NoisedBatches batches = new NoisedBatches(data, config, net.schedule(), net.parameterization(),
                net.config().numClasses(), step, this::proceed);
        try {
            if (step < config.steps()) sd.fit(batches, 1, new StepListener(net.weights()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (divergence != null) {
            return new TrainOutcome(TrainOutcome.Status.DIVERGED, step, lastCheckpoint, divergence);
        }
        if (step != savedStep) checkpoint();
        if (divergence != null) {
            return new TrainOutcome(TrainOutcome.Status.DIVERGED, step, lastCheckpoint, divergence);
        }
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

    /** Writes ckpt-NNNNNNN.dpck and model.dpck (EMA only), unless a weight has become non-finite. */
    private void checkpoint() throws IOException {
        for (Map.Entry<String, INDArray> e : net.weights().entrySet()) {
            if (!Double.isFinite(e.getValue().sumNumber().doubleValue())) {
                divergence = "weight %s became NaN/Inf by step %d; kept the last good checkpoint %s"
                        .formatted(e.getKey(), step, lastCheckpoint);
                return;
            }
        }
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

    private final class StepListener extends BaseListener {

        private final Map<String, INDArray> weights;
        private double stepLoss = Double.NaN;

        StepListener(Map<String, INDArray> weights) {
            this.weights = weights;
        }

        /**
         * The loss: the mean of the per-example weighted errors. SameDiff's own Loss record stays 0
         * here, because backprop through the final mean never needs that op's forward value, so
         * the op (and its listener callback) is skipped; the per-example errors are computed.
         */
        @Override
        public ListenerVariables requiredVariables(SameDiff sd) {
            return ListenerVariables.builder().trainingVariables(UNetGraph.WEIGHTED_ERROR).build();
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void preUpdate(SameDiff sd, At at, Variable v, INDArray update) {
            if (config.updateClip() <= 0) return;
            double limit = config.updateClip() * sd.getTrainingConfig().getUpdater().getLearningRate(at.iteration(), at.epoch());
            double rms = update.norm2Number().doubleValue() / Math.sqrt(update.length());
            if (rms > limit) update.muli(limit / rms);
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                                        INDArray activation) {
            if (UNetGraph.WEIGHTED_ERROR.equals(varName)) stepLoss = activation.meanNumber().doubleValue();
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            double value = stepLoss;
            stepLoss = Double.NaN;
            double lr = sd.getTrainingConfig().getUpdater().getLearningRate(at.iteration(), at.epoch());
            step++;
            if (!Double.isFinite(value)) {
                divergence = "loss became %s at step %d; stopped, kept the last good checkpoint %s"
                        .formatted(value, step, lastCheckpoint);
                stopRequested = true;
                return;
            }
            lastLoss = value;
            ema.update(weights, step);
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            secondsPerStep = Double.isNaN(secondsPerStep) ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
            Duration eta = Duration.ofMillis((long) (1000 * secondsPerStep * (config.steps() - step)));
            TrainStep event = new TrainStep(step, config.steps(), value, lr, config.batch() / secondsPerStep, eta);
            for (TrainListener l : listeners) l.onStep(event);
            if (step % config.checkpointEvery() == 0) {
                try {
                    checkpoint();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (divergence != null) stopRequested = true;
            }
        }
    }
}
