package org.diffusionplayground.model.nn.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.objective.MeanSquaredError;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The MLP's hand-written backward pass against central finite differences of its own loss. */
class MlpTest {

    private static final MlpConfig CONDITIONAL = new MlpConfig(2, 16, 2, 8, 3, Parameterization.EPS, "ddpm");

    private static Batch batch(int b, long seed) {
        Noise noise = new Noise(seed);
        float[] t = new float[b], w = new float[b];
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = (float) ((i + 0.5) / b);
            w[i] = 0.5f + i;
            labels[i] = i % 4; // 3 = the null class
        }
        return new Batch(noise.normal(b, 2), Nd4j.createFromArray(t), Nd4j.createFromArray(labels),
                noise.normal(b, 2), Nd4j.createFromArray(w));
    }

    private static double loss(Mlp net, Batch batch) {
        INDArray out = net.predictRows(batch);
        return new MeanSquaredError().apply(out, batch, batch.size(), Nd4j.create(DataType.FLOAT, out.shape()));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryWeight() {
        Mlp net = CONDITIONAL.create(5);
        Batch batch = batch(6, 1);
        Network.Gradients g = net.gradients(batch, new MeanSquaredError());
        assertEquals(loss(net, batch), g.loss(), 1e-6, "the loss the pass reports");
        Noise pick = new Noise(2);
        double h = 1e-2;
        for (Map.Entry<String, INDArray> w : net.weights().entrySet()) {
            INDArray flat = w.getValue().reshape(w.getValue().length());
            for (int k = 0; k < 4; k++) {
                int i = pick.nextInt((int) flat.length());
                float v = flat.getFloat(i);
                flat.putScalar(i, v + h);
                double plus = loss(net, batch);
                flat.putScalar(i, v - h);
                double minus = loss(net, batch);
                flat.putScalar(i, v);
                double numeric = (plus - minus) / (2 * h);
                double analytic = g.byWeight().get(w.getKey()).reshape(flat.length()).getDouble(i);
                assertEquals(numeric, analytic, 2e-3 * Math.max(1, Math.abs(numeric)),
                        "%s[%d]: numeric %.6f, analytic %.6f".formatted(w.getKey(), i, numeric, analytic));
            }
        }
    }

    @Test
    void theClassChangesTheOutputAndNullMeansUnconditional() {
        Mlp net = CONDITIONAL.create(5);
        INDArray x = new Noise(3).normal(2, 2);
        INDArray none = net.predict(x, 0.5, null);
        assertEquals(none, net.predict(x, 0.5, Nd4j.createFromArray(3, 3)));
        assertTrue(none.sub(net.predict(x, 0.5, Nd4j.createFromArray(0, 1))).amaxNumber().doubleValue() > 1e-4);
    }

    @Test
    void weightsOfAnotherShapeOrNameAreRefusedByName() {
        Mlp net = CONDITIONAL.create(5);
        Map<String, INDArray> wrong = new HashMap<>(net.weights());
        wrong.put("out.w", Nd4j.zeros(DataType.FLOAT, 3, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.setWeights(wrong)).getMessage().contains("out.w"));
        Map<String, INDArray> extra = new HashMap<>(net.weights());
        extra.put("down1.conv1.w", Nd4j.zeros(DataType.FLOAT, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.setWeights(extra)).getMessage().contains("down1.conv1.w"));
        assertThrows(IllegalArgumentException.class, () -> net.predict(Nd4j.zeros(DataType.FLOAT, 2, 3), 0.5, null));
    }
}
