package org.diffusionplayground.model.nn.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.objective.MeanSquaredError;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-written backward pass ({@link UNet#gradients}, {@link UNetBackward}) with
 * {@link MeanSquaredError} against SameDiff's automatic differentiation of the same loss written
 * as graph ops on the network's "out" ({@link ReferenceLoss}) — an independent derivation of the
 * same gradients.
 */
@ExtendWith(SingleThreadNd4j.class)
class UNetGradientsTest {

    private static Map<String, INDArray> batch(UNetConfig config, int b, long seed) {
        Noise noise = new Noise(seed);
        float[] t = new float[b], weight = new float[b];
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = (float) ((i + 0.5) / b);
            weight[i] = 0.5f + i;
            labels[i] = (3 * i) % (config.numClasses() + 1);
        }
        Map<String, INDArray> in = new HashMap<>();
        in.put(UNetGraph.X, noise.normal(b, 1, 28, 28).castTo(DataType.FLOAT));
        in.put(UNetGraph.T, Nd4j.createFromArray(t));
        in.put(UNetGraph.LABEL, Nd4j.createFromArray(labels));
        in.put(ReferenceLoss.TARGET, noise.normal(b, 1, 28, 28).castTo(DataType.FLOAT));
        in.put(ReferenceLoss.WEIGHT, Nd4j.createFromArray(weight));
        return in;
    }

    /** Every gradient within 1e-3 of SameDiff's relative to that tensor's largest entry, and the same loss. */
    private static void assertSameAsSameDiff(UNet net, Map<String, INDArray> in) {
        Network.Gradients ours = net.gradients(new Batch(in.get(UNetGraph.X), in.get(UNetGraph.T),
                in.get(UNetGraph.LABEL), in.get(ReferenceLoss.TARGET), in.get(ReferenceLoss.WEIGHT)),
                new MeanSquaredError());
        SameDiff sd = ReferenceLoss.addTo(net.sameDiff());
        Map<String, INDArray> reference = sd.calculateGradients(in, net.weights().keySet());
        double loss = sd.output(in, ReferenceLoss.LOSS).get(ReferenceLoss.LOSS).getDouble(0);
        assertEquals(loss, ours.loss(), 1e-5 * loss, "loss");
        assertEquals(net.weights().keySet(), ours.byWeight().keySet(), "a gradient for every weight");
        for (String name : net.weights().keySet()) {
            INDArray expected = reference.get(name), actual = ours.byWeight().get(name);
            double scale = expected.amaxNumber().doubleValue();
            double gap = actual.reshape(expected.shape()).sub(expected).amaxNumber().doubleValue();
            // the key bias shifts every score of a query by the same amount, which softmax ignores:
            // its true gradient is 0 and both sides hold only rounding noise (~1e-10)
            boolean zeroByTheory = name.endsWith(".attn.k.b");
            if (!zeroByTheory) assertTrue(scale > 1e-6, name + ": SameDiff's gradient is not ~0: " + scale);
            assertTrue(gap <= 1e-3 * scale + (zeroByTheory ? 1e-8 : 0),
                    "%s: max |ours − SameDiff| %.3g at max |grad| %.3g".formatted(name, gap, scale));
        }
    }

    @Test
    void smallConfigGradientsMatchSameDiffsInOneLaneAndSplitInTwo() {
        UNet net = UNetInferenceTest.randomised(UNetConfig.small(), 21);
        net.splitBatches(false);
        assertSameAsSameDiff(net, batch(net.config(), 5, 1));
        net.splitBatches(true); // rows 0–1 on this thread, 2–4 on the second lane, gradients added
        assertSameAsSameDiff(net, batch(net.config(), 5, 1));
    }

    /**
     * A batch above {@link UNetBackward#CHUNK}: through ND4J's conv2d_bp the 28×28 and 14×14 convs'
     * backward goes in chunks, their weight gradients summed; through oneDNN's primitives, whole.
     */
    @Test
    void aBatchLargerThanAChunkMatchesSameDiffsOnBothConvolutionRoutes() {
        UNet net = UNetInferenceTest.randomised(new UNetConfig(8, 16, 16, 4, true, 10, Parameterization.EPS, "linear"), 24);
        net.splitBatches(false);
        for (boolean oneDnn : org.diffusionplayground.model.nn.OneDnnConv.available() ? new boolean[] {false, true} : new boolean[] {false}) {
            net.oneDnn(oneDnn);
            assertSameAsSameDiff(net, batch(net.config(), UNetBackward.CHUNK + 5, 3));
            assertSameAsSameDiff(net, batch(net.config(), UNetBackward.CHUNK + 5, 8)); // on the reused buffers and chunk scratch
        }
    }

    @Test
    void attentionConfigGradientsMatchSameDiffs() {
        UNet net = UNetInferenceTest.randomised(new UNetConfig(8, 16, 16, 4, true, 10, Parameterization.EPS, "linear"), 22);
        assertSameAsSameDiff(net, batch(net.config(), 4, 2));
        assertSameAsSameDiff(net, batch(net.config(), 4, 7)); // again, on the gradient buffers the first call gave back
    }

    /** The graph path a GPU backend takes (output and gradients through SameDiff's VJP) equals the hand-written one. */
    @Test
    void theGraphPathEqualsTheHandWrittenOne() {
        UNet net = UNetInferenceTest.randomised(new UNetConfig(8, 16, 16, 4, true, 10, Parameterization.EPS, "linear"), 23);
        net.splitBatches(false);
        Map<String, INDArray> in = batch(net.config(), 3, 4);
        Batch batch = new Batch(in.get(UNetGraph.X), in.get(UNetGraph.T), in.get(UNetGraph.LABEL), in.get(ReferenceLoss.TARGET),
                in.get(ReferenceLoss.WEIGHT));
        INDArray fast = net.predict(batch.input(), batch.t(), batch.cond());
        Network.Gradients hand = net.gradients(batch, new MeanSquaredError());
        Map<String, INDArray> handCopy = new HashMap<>();
        hand.byWeight().forEach((k, v) -> handCopy.put(k, v.dup()));
        net.handWritten(false);
        INDArray graph = net.predict(batch.input(), batch.t(), batch.cond());
        Network.Gradients viaGraph = net.gradients(batch, new MeanSquaredError());
        double scale = graph.amaxNumber().doubleValue();
        assertTrue(fast.sub(graph).amaxNumber().doubleValue() < 1e-4 * scale, "outputs");
        assertEquals(hand.loss(), viaGraph.loss(), 1e-5 * hand.loss(), "loss");
        for (String name : net.weights().keySet()) {
            INDArray e = viaGraph.byWeight().get(name), a = handCopy.get(name).reshape(e.shape());
            double size = e.amaxNumber().doubleValue();
            if (name.endsWith(".attn.k.b")) continue; // zero by theory (softmax ignores a shift of every score)
            assertTrue(size > 1e-6, name + ": the graph's gradient is ~0");
            assertTrue(a.sub(e).amaxNumber().doubleValue() <= 1e-3 * size, name);
        }
    }
}
