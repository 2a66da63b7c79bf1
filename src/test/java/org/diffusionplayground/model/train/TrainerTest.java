package org.diffusionplayground.model.train;

import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.data.TrainingSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.unet.ReferenceLoss;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.objective.GaussianDiffusion;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.nn.unet.UNetGraph;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;

class TrainerTest {

    static final UNetConfig TINY = new UNetConfig(4, 8, 8, 2, false, 10, Parameterization.EPS, "linear");
    static TrainingSet data;
    static GaussianDiffusion OBJECTIVE;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        NativeBuild.configure();
        data = TrainingSets.digits(64);
        OBJECTIVE = GaussianDiffusion.of(TINY, data);
    }

    static TrainConfig config(int steps, int every) {
        return new TrainConfig(steps, 8, 3e-3, 0, 0.0, 0.9, 0.0, 0.1, every, 1.0, 11);
    }

    static List<Double> losses(Trainer t) {
        List<Double> losses = new ArrayList<>();
        t.addListener(s -> losses.add(s.loss()));
        return losses;
    }

    @Test
    void aFewStepsReduceTheLoss() throws Exception {
        Trainer t = Trainer.fresh(TINY, OBJECTIVE, config(24, 100), dir);
        List<Double> loss = losses(t);
        TrainOutcome outcome = t.run();
        assertEquals(TrainOutcome.Status.COMPLETED, outcome.status());
        assertEquals(24, loss.size());
        // a zero-initialised output gives ε-MSE ≈ 1 at the start; the net learns to predict ε
        double first = loss.subList(0, 4).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = loss.subList(20, 24).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(first > 0.8, "first losses " + loss.subList(0, 4));
        assertTrue(last < 0.75 * first, "loss went from %.3f to %.3f: %s".formatted(first, last, loss));
    }

    /**
     * Two steps of the Trainer (hand-written backward pass, then ND4J's Adam per weight) against
     * two steps of SameDiff's own {@code fit} on the same batches from the same initial weights,
     * with AdamW's decoupled weight decay on: the same optimiser, applied in the same order.
     */
    @Test
    void stepsMatchSameDiffsFitOnTheSameBatches() throws Exception {
        TrainConfig train = new TrainConfig(2, 8, 3e-3, 0, 0.05, 0.9, 0.0, 0.1, 100, 0.0, 11);
        Trainer trainer = Trainer.fresh(TINY, OBJECTIVE, train, dir);
        UNet reference = UNet.create(TINY, train.seed());
        trainer.run();

        SameDiff sd = ReferenceLoss.addTo(reference.sameDiff());
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(new FixedSchedule(train.learningRate())))
                .regularization(new WeightDecay(train.weightDecay(), true))
                .dataSetFeatureMapping(UNetGraph.X, UNetGraph.T, UNetGraph.LABEL)
                .dataSetLabelMapping(ReferenceLoss.TARGET, ReferenceLoss.WEIGHT).build());
        sd.fit(multiDataSet(OBJECTIVE.batch(train, 0)));
        sd.fit(multiDataSet(OBJECTIVE.batch(train, 1)));

        Map<String, INDArray> ours = trainer.network().weights(), theirs = reference.weights();
        double worst = 0, moved = 0;
        for (String name : theirs.keySet()) {
            worst = Math.max(worst, ours.get(name).sub(theirs.get(name)).amaxNumber().doubleValue());
            moved = Math.max(moved, theirs.get(name).sub(UNet.create(TINY, train.seed()).weights().get(name))
                    .amaxNumber().doubleValue());
        }
        assertTrue(moved > 1e-3, "the steps moved the weights: " + moved);
        // Adam's early steps are ≈ lr·sign(g): any sign flip of a gradient would show as ~2·lr = 6e-3
        assertTrue(worst < 1e-4, "max |ours − fit| over all weights: " + worst);
    }

    private static MultiDataSet multiDataSet(Batch b) {
        return new MultiDataSet(new INDArray[] {b.input(), b.t(), b.cond()}, new INDArray[] {b.target(), b.weight()});
    }

    @Test
    void resumedRunRepeatsTheUninterruptedLossCurveBitForBit() throws Exception {
        Trainer whole = Trainer.fresh(TINY, OBJECTIVE, config(8, 4), dir.resolve("whole"));
        List<Double> expected = losses(whole);
        whole.run();

        Checkpoint half = CheckpointFile.read(new RunFolder(dir.resolve("whole")).checkpointFile(4));
        Trainer resumed = Trainer.resume(half, OBJECTIVE, dir.resolve("resumed"), 8);
        List<Double> actual = losses(resumed);
        resumed.run();
        assertEquals(expected.subList(4, 8), actual);
        Checkpoint a = CheckpointFile.read(new RunFolder(dir.resolve("whole")).checkpointFile(8));
        Checkpoint b = CheckpointFile.read(new RunFolder(dir.resolve("resumed")).checkpointFile(8));
        for (String name : a.weights().keySet()) {
            assertEquals(a.weights().get(name), b.weights().get(name), name);
            assertEquals(a.ema().get(name), b.ema().get(name), "EMA of " + name);
        }
    }

    @Test
    void nanInTheDataStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Trainer good = Trainer.fresh(TINY, OBJECTIVE, config(2, 2), dir);
        good.run();
        Path checkpoint = new RunFolder(dir).checkpointFile(2);
        byte[] before = Files.readAllBytes(checkpoint);

        float[] nan = new float[data.size() * (28 * 28)];
        Arrays.fill(nan, Float.NaN);
        int[] labels = new int[data.size()];
        TrainingSet poisoned = TrainingSet.images(nan, labels, 10);
        Trainer t = Trainer.resume(CheckpointFile.read(checkpoint), GaussianDiffusion.of(TINY, poisoned), dir, 6);
        TrainOutcome outcome = t.run();
        assertEquals(TrainOutcome.Status.DIVERGED, outcome.status());
        // NaN inputs give NaN gradients at once (the loss itself can stay finite: the output conv
        // starts at zero and oneDNN gives 0·NaN = 0), so the per-step weight check fires at step 3
        assertTrue(outcome.message().contains("NaN") && outcome.message().contains("step 3")
                && outcome.message().contains(checkpoint.toString()), outcome.message());
        assertEquals(List.of(checkpoint), new RunFolder(dir).checkpoints());
        assertTrue(Arrays.equals(before, Files.readAllBytes(checkpoint)), "the good checkpoint was rewritten");
    }

    @Test
    void pauseHoldsTheRunAndStopWritesACheckpoint() throws Exception {
        Trainer t = Trainer.fresh(TINY, OBJECTIVE, config(1000, 1000), dir);
        CountDownLatch twoSteps = new CountDownLatch(1);
        t.addListener(s -> {
            if (s.step() == 2) {
                t.pause(); // from the training thread, so no further step has begun
                twoSteps.countDown();
            }
        });
        var run = t.start();
        assertTrue(twoSteps.await(60, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertEquals(2, t.step(), "steps were taken while paused");
        assertTrue(t.isPaused());
        t.resume();
        t.stop();
        TrainOutcome outcome = run.get(60, TimeUnit.SECONDS);
        assertEquals(TrainOutcome.Status.STOPPED, outcome.status());
        assertNotNull(outcome.checkpoint());
        assertEquals(outcome.step(), CheckpointFile.read(outcome.checkpoint()).step());
        assertTrue(Files.isRegularFile(new RunFolder(dir).modelFile()));
    }

    @Test
    void aCompletedRunCannotBeResumedPastNothingButCanBeExtended() throws Exception {
        Trainer.fresh(TINY, OBJECTIVE, config(2, 10), dir).run();
        Checkpoint done = new RunFolder(dir).latest();
        assertEquals(2, done.step());
        assertNull(done.asModel().train());
        Trainer more = Trainer.resume(done, OBJECTIVE, dir, 3);
        assertEquals(TrainOutcome.Status.COMPLETED, more.run().status());
        assertEquals(3, new RunFolder(dir).latest().step());
    }
}
