package org.diffusionplayground.model.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of the weights, θ̄ ← d·θ̄ + (1 − d)·θ after every step, with the
 * warm-up d_n = min(decay, (1 + n)/(10 + n)) so early averages are not dominated by the random
 * init (Tensorflow's ExponentialMovingAverage num_updates rule; DDPM uses decay 0.9999, Ho et al.
 * 2020, App. B — 0.999 suits runs of a few thousand steps).
 */
final class Ema {

    private final double decay;
    private final Map<String, INDArray> shadow;

    /** Starts from copies of {@code weights}, or from {@code saved} when resuming. */
    Ema(double decay, Map<String, INDArray> weights, Map<String, INDArray> saved) {
        this.decay = decay;
        this.shadow = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray s = saved != null && saved.containsKey(e.getKey()) ? saved.get(e.getKey()) : e.getValue();
            shadow.put(e.getKey(), s.dup());
        }
    }

    /** One update after optimiser step number {@code n} (1-based). */
    void update(Map<String, INDArray> weights, int n) {
        double d = Math.min(decay, (1.0 + n) / (10.0 + n));
        for (Map.Entry<String, INDArray> e : shadow.entrySet()) {
            e.getValue().muli(d).addi(weights.get(e.getKey()).mul(1 - d));
        }
    }

    /** Copies of the averaged weights. */
    Map<String, INDArray> snapshot() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        shadow.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }
}
