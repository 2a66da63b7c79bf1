package org.diffusionplayground.model.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.LaneSums;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
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
 *
 * <p>The step itself is written in Java over bulk copies of each weight, its gradient and its M
 * and V (kept in the ND4J updaters' state arrays, which checkpoints save), with the arithmetic of
 * libnd4j's {@code adam_updater} in float: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * u = α_t·m/(√v + ε) with α_t = lr·√(1 − β₂^t)/(1 − β₁^t). As ND4J ops (the updater, weight decay's
 * axpy, the clip's norm, the subtraction: four dispatches a tensor) it took 17–24 ms a step for
 * the reference U-Net's 1 M weights, most of it dispatch.
 */
final class Optimizer {

    private final TrainConfig config;
    private final Adam adam;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    /** Per weight: its updater's M and V arrays (views into the updater's state). */
    private final Map<String, INDArray[]> moments = new LinkedHashMap<>();
    private float[] w = new float[0], g = new float[0], m = new float[0], v = new float[0];

    Optimizer(TrainConfig config, Map<String, INDArray> weights) {
        this.config = config;
        ISchedule lr = new FixedSchedule(config.learningRate());
        if (config.warmupSteps() > 0) lr = new RampSchedule(lr, config.warmupSteps());
        this.adam = new Adam(lr);
        for (Map.Entry<String, INDArray> w : weights.entrySet()) {
            INDArray view = Nd4j.zeros(DataType.FLOAT, 1, adam.stateSize(w.getValue().length()));
            GradientUpdater<?> u = adam.instantiate(view, true);
            u.setStateViewArray(view, w.getValue().shape(), w.getValue().ordering(), true);
            updaters.put(w.getKey(), u);
            moments.put(w.getKey(), new INDArray[] {u.getState().get("M"), u.getState().get("V")});
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
        float b1 = (float) adam.getBeta1(), b2 = (float) adam.getBeta2(), eps = (float) adam.getEpsilon();
        float b1t = (float) Math.pow(b1, iteration + 1), b2t = (float) Math.pow(b2, iteration + 1);
        float alpha = (float) (lr * Math.sqrt(1.0 - b2t) / (1.0 - b1t));
        // decoupled weight decay after the updater (ND4J's WeightDecay with applyLR: u += wd·lr·w)
        float decay = (float) (config.weightDecay() * lr);
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray weight = e.getValue(), grad = gradients.get(e.getKey());
            INDArray[] mv = moments.get(e.getKey());
            int n = (int) weight.length();
            if (w.length < n) {
                w = new float[n];
                g = new float[n];
                m = new float[n];
                v = new float[n];
            }
            HeapArrays.read(weight, w, n);
            HeapArrays.read(grad, g, n);
            HeapArrays.read(mv[0], m, n);
            HeapArrays.read(mv[1], v, n);
            for (int i = 0; i < n; i++) { // g becomes the update
                float gi = g[i];
                m[i] = b1 * m[i] + gi * (1 - b1);
                v[i] = b2 * v[i] + gi * gi * (1 - b2);
                g[i] = m[i] * alpha / ((float) Math.sqrt(v[i]) + eps);
            }
            if (decay > 0) {
                for (int i = 0; i < n; i++) g[i] += decay * w[i];
            }
            if (config.updateClip() > 0) {
                double limit = config.updateClip() * lr, rms = Math.sqrt(LaneSums.dot(g, 0, g, 0, n) / n);
                if (rms > limit) {
                    float f = (float) (limit / rms);
                    for (int i = 0; i < n; i++) g[i] *= f;
                }
            }
            for (int i = 0; i < n; i++) w[i] -= g[i];
            HeapArrays.write(w, weight, n);
            HeapArrays.write(m, mv[0], n);
            HeapArrays.write(v, mv[1], n);
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
