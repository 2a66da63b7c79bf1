package org.diffusionplayground.model.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.RampSchedule;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: a method for stochastic optimization", Algorithm 1) or AdamW
 * (Loshchilov &amp; Hutter 2019, "Decoupled weight decay regularization") on a network's named
 * weights, with ND4J's own {@code AdamUpdater} per weight, a linear learning-rate warm-up, and
 * each tensor's update capped at RMS ≤ updateClip·lr (Adafactor's update clipping, Shazeer &amp;
 * Stern 2018, §6), which bounds the damage of a gradient spike.
 *
 * <p>The order of one weight's step is the one SameDiff's training session uses (regularisation
 * before the updater, the updater, decoupled weight decay after it, the clip, w ← w − update),
 * and the state per weight is Adam's "M" and "V", so checkpoints written when the project
 * trained through SameDiff's {@code fit} resume here step for step.
 */
final class Optimizer {

    private final TrainConfig config;
    private final Adam adam;
    private final List<Regularization> regularization = new ArrayList<>();
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();

    Optimizer(TrainConfig config, Map<String, INDArray> weights) {
        this.config = config;
        ISchedule lr = new FixedSchedule(config.learningRate());
        if (config.warmupSteps() > 0) lr = new RampSchedule(lr, config.warmupSteps());
        this.adam = new Adam(lr);
        if (config.weightDecay() > 0) regularization.add(new WeightDecay(config.weightDecay(), true));
        for (Map.Entry<String, INDArray> w : weights.entrySet()) {
            INDArray view = Nd4j.zeros(DataType.FLOAT, 1, adam.stateSize(w.getValue().length()));
            GradientUpdater<?> u = adam.instantiate(view, true);
            u.setStateViewArray(view, w.getValue().shape(), w.getValue().ordering(), true);
            updaters.put(w.getKey(), u);
        }
    }

    /** The learning rate of the step taken after {@code iteration} completed steps. */
    double learningRate(int iteration) {
        return adam.getLearningRate(iteration, 0);
    }

    /**
     * One optimiser step on every weight; {@code iteration} is the number of steps already
     * taken (Adam's bias correction and the warm-up read it). Gradients are consumed.
     */
    void step(Map<String, INDArray> weights, Map<String, INDArray> gradients, int iteration) {
        double lr = learningRate(iteration);
        for (Map.Entry<String, INDArray> w : weights.entrySet()) {
            INDArray weight = w.getValue(), grad = gradients.get(w.getKey());
            for (Regularization r : regularization) {
                if (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER) r.apply(weight, grad, lr, iteration, 0);
            }
            updaters.get(w.getKey()).applyUpdater(grad, iteration, 0);
            for (Regularization r : regularization) {
                if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) r.apply(weight, grad, lr, iteration, 0);
            }
            if (config.updateClip() > 0) {
                double limit = config.updateClip() * lr;
                double rms = grad.norm2Number().doubleValue() / Math.sqrt(grad.length());
                if (rms > limit) grad.muli(limit / rms);
            }
            weight.subi(grad);
        }
    }

    /** State key ("M", "V") → weight name → a copy of the array. */
    Map<String, Map<String, INDArray>> capture() {
        Map<String, Map<String, INDArray>> out = new LinkedHashMap<>();
        updaters.forEach((name, u) -> u.getState().forEach((key, array) ->
                out.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(name, array.dup())));
        return out;
    }

    /** Copies saved state into the updaters; every weight's "M" and "V" must be there. */
    void restore(Map<String, Map<String, INDArray>> saved) throws CheckpointException {
        for (Map.Entry<String, GradientUpdater<?>> e : updaters.entrySet()) {
            for (Map.Entry<String, INDArray> s : e.getValue().getState().entrySet()) {
                Map<String, INDArray> group = saved.get(s.getKey());
                INDArray value = group == null ? null : group.get(e.getKey());
                if (value == null) throw new CheckpointException(
                        "checkpoint lacks optimiser state %s of weight %s".formatted(s.getKey(), e.getKey()));
                if (value.length() != s.getValue().length()) throw new CheckpointException(
                        "optimiser state %s of weight %s has %d values, expected %d".formatted(s.getKey(), e.getKey(),
                                value.length(), s.getValue().length()));
                s.getValue().assign(value.reshape(s.getValue().shape()));
            }
        }
    }
}
