package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * Adam's first step in closed form: with bias correction the update is lr·g/(|g| + ε/…) ≈ lr·sign(g)
 * per element (Kingma &amp; Ba 2015, Algorithm 1), then the update clip and decoupled weight decay.
 * (Two steps against SameDiff's own {@code fit} are in {@link TrainerTest}.)
 */
class OptimizerTest {

    private static final double LR = 0.01;

    private static Map<String, INDArray> step(double weightDecay, double clip, float[] w, float[] g) {
        TrainConfig config = new TrainConfig(1, 1, LR, 0, weightDecay, 0.999, 0, 0, 1, clip, 1);
        Map<String, INDArray> weights = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        weights.put("w", Nd4j.create(w.clone(), new long[] {2, 2}, 'c'));
        grads.put("w", Nd4j.create(g.clone(), new long[] {2, 2}, 'c'));
        Optimizer opt = new Optimizer(config, weights);
        opt.step(weights, grads, 0);
        return weights;
    }

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        float[] w = {1, 2, 3, 4}, g = {0.5f, -2, 4, -0.25f};
        INDArray after = step(0, 0, w, g).get("w");
        for (int i = 0; i < 4; i++) assertEquals(w[i] - LR * Math.signum(g[i]), after.getDouble(i), 1e-6, "w[" + i + "]");
    }

    @Test
    void clipCapsTheUpdateRmsAndDecayPullsTowardZero() {
        float[] w = {0, 0, 0, 0}, g = {1, -1, 1, -1};
        INDArray clipped = step(0, 0.5, w, g).get("w"); // update RMS lr → capped at 0.5·lr
        for (int i = 0; i < 4; i++) assertEquals(-0.5 * LR * Math.signum(g[i]), clipped.getDouble(i), 1e-6);
        float[] w2 = {10, 10, 10, 10};
        INDArray decayed = step(0.1, 0, w2, g).get("w"); // u = lr·sign(g) + 0.1·lr·w
        for (int i = 0; i < 4; i++) assertEquals(10 - LR * Math.signum(g[i]) - 0.1 * LR * 10, decayed.getDouble(i), 1e-5);
    }
}
