package org.diffusionplayground.model.nn.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast forward pass ({@link UNetInference}, behind {@link UNet#predict}) against SameDiff's
 * {@code output} on the training graph ({@link UNet#predictWithGraph}) — an independent
 * implementation of the same network.
 */
@ExtendWith(SingleThreadNd4j.class)
public class UNetInferenceTest {

    /** Every weight random (norm scales around 1, shifts and biases nonzero), so every op matters. */
    public static UNet randomised(UNetConfig config, long seed) {
        UNet net = UNet.create(config, seed);
        Noise noise = new Noise(seed + 1);
        Map<String, INDArray> w = new HashMap<>(net.weights());
        w.replaceAll((name, a) -> {
            INDArray r = noise.normal(a.shape());
            if (name.endsWith(".scale")) return r.muli(0.3).addi(1.0);
            if (name.endsWith(".w") && a.rank() == 4) return r.muli(1.0 / Math.sqrt(a.size(0) * a.size(1) * a.size(2)));
            if (name.endsWith(".w")) return r.muli(1.0 / Math.sqrt(a.size(0)));
            return r.muli(0.2);
        });
        net.setWeights(w);
        return net;
    }

    private static void assertSameAsGraph(UNet net, INDArray x, INDArray t, INDArray labels) {
        INDArray fast = net.predict(x, t, labels);
        INDArray graph = net.predictWithGraph(x, t, labels);
        assertArrayEquals(graph.shape(), fast.shape());
        double scale = graph.amaxNumber().doubleValue();
        double gap = fast.sub(graph).amaxNumber().doubleValue();
        assertTrue(scale > 0.05, "the reference output is not trivial: max |out| " + scale);
        assertTrue(gap <= 2e-5 * Math.max(1, scale), "max |fast − graph| " + gap + " at max |out| " + scale);
    }

    private static INDArray[] inputs(int b, long seed) {
        Noise noise = new Noise(seed);
        INDArray x = noise.normal(b, 1, 28, 28).castTo(DataType.FLOAT);
        float[] t = new float[b];
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            t[i] = (float) ((i + 0.5) / b);
            labels[i] = i % 11; // 10 is the null class
        }
        return new INDArray[] {x, Nd4j.createFromArray(t), Nd4j.createFromArray(labels)};
    }

    @Test
    void smallConfigMatchesTheGraphWithEveryWeightRandomInOneLaneAndSplitInTwo() {
        UNet net = randomised(UNetConfig.small(), 11);
        INDArray[] in = inputs(5, 1);
        net.splitBatches(false);
        assertSameAsGraph(net, in[0], in[1], in[2]);
        net.splitBatches(true);
        assertSameAsGraph(net, in[0], in[1], in[2]);
    }

    @Test
    void attentionAndEpsilonConfigMatchesTheGraph() {
        UNet net = randomised(new UNetConfig(8, 16, 16, 4, true, 10, Parameterization.EPS, "linear"), 12);
        INDArray[] in = inputs(3, 2);
        assertSameAsGraph(net, in[0], in[1], in[2]); // attention in Java loops (a few samples)
        net.splitBatches(false);
        in = inputs(6, 2);
        assertSameAsGraph(net, in[0], in[1], in[2]); // through ND4J's batched products
    }

    @Test
    void shippedModelMatchesTheGraph() throws Exception {
        UNet net = (UNet) ModelLoader.open(ModelLoader.DEFAULT_PRETRAINED).net();
        INDArray[] in = inputs(4, 3);
        assertSameAsGraph(net, in[0], in[1], in[2]);
    }

    @Test
    void buffersReusedAcrossCallsNeitherLeakBetweenBatchSizesNorOverwriteEarlierResults() {
        UNet net = randomised(UNetConfig.small(), 13);
        INDArray[] four = inputs(4, 4), two = inputs(2, 5);
        INDArray first = net.predict(four[0], four[1], four[2]);
        INDArray firstCopy = first.dup();
        INDArray small = net.predict(two[0], two[1], two[2]);
        INDArray again = net.predict(four[0], four[1], four[2]);
        assertEquals(0.0, first.sub(firstCopy).amaxNumber().doubleValue(), "earlier result untouched");
        assertEquals(0.0, again.sub(firstCopy).amaxNumber().doubleValue(), "same input, same output");
        assertEquals(0.0, small.sub(net.predictWithGraph(two[0], two[1], two[2])).amaxNumber().doubleValue(), 2e-5);
    }

    @Test
    void splittingTheBatchOverTwoThreadsGivesTheSameBits() {
        UNet net = randomised(UNetConfig.small(), 15);
        UNetInference serial = new UNetInference(net.config(), net.sameDiff());
        UNetInference split = new UNetInference(net.config(), net.sameDiff());
        serial.parallel(false);
        split.parallel(true);
        INDArray[] in = inputs(5, 7);
        INDArray a = serial.output(in[0], in[1], in[2]), b = split.output(in[0], in[1], in[2]);
        assertTrue(a.amaxNumber().doubleValue() > 0.05, "a working network");
        assertEquals(0.0, a.sub(b).amaxNumber().doubleValue());
    }

    @Test
    void oneDnnPrimitivesAndNd4jConv2dGiveTheSameBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.diffusionplayground.model.nn.OneDnnConv.available(),
                org.diffusionplayground.model.nn.OneDnnConv.unavailableReason());
        UNet net = randomised(new UNetConfig(8, 16, 16, 4, true, 10, Parameterization.V, "linear"), 17);
        UNetInference direct = new UNetInference(net.config(), net.sameDiff()), nd4j = new UNetInference(net.config(), net.sameDiff());
        direct.oneDnn(true);
        nd4j.oneDnn(false);
        for (int b : new int[] {3, 1, 3}) { // a batch size again after another: the primitives are rebuilt
            INDArray[] in = inputs(b, 8 + b);
            INDArray a = direct.output(in[0], in[1], in[2]), c = nd4j.output(in[0], in[1], in[2]);
            assertTrue(a.amaxNumber().doubleValue() > 0.05, "a working network");
            assertEquals(0.0, a.sub(c).amaxNumber().doubleValue(), "batch " + b);
        }
    }

    @Test
    void twoThreadsSharingANetworkEachGetTheirOwnResult() throws Exception {
        UNet net = randomised(UNetConfig.small(), 16);
        INDArray[] a = inputs(4, 8), b = inputs(4, 9);
        INDArray expectedA = net.predict(a[0], a[1], a[2]).dup(), expectedB = net.predict(b[0], b[1], b[2]).dup();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Double>>();
            for (int k = 0; k < 8; k++) {
                INDArray[] in = k % 2 == 0 ? a : b;
                INDArray expected = k % 2 == 0 ? expectedA : expectedB;
                futures.add(pool.submit(() -> net.predict(in[0], in[1], in[2]).sub(expected).amaxNumber().doubleValue()));
            }
            for (var f : futures) assertEquals(0.0, f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSlicedViewOfABiggerBatchGivesTheSameResultAsItsCopy() {
        UNet net = randomised(UNetConfig.small(), 17);
        INDArray[] in = inputs(10, 10);
        // rows 3–7 of the batch, split over two lanes as rows 0–1 and 2–4 of that view
        INDArray x = in[0].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 8));
        INDArray t = Nd4j.createFromArray(0.1f, 0.3f, 0.5f, 0.7f, 0.9f), labels = Nd4j.createFromArray(1, 2, 3, 9, 10);
        INDArray viaView = net.predict(x, t, labels), viaCopy = net.predict(x.dup(), t, labels);
        assertArrayEquals(new long[] {5, 1, 28, 28}, viaView.shape());
        assertEquals(0.0, viaView.sub(viaCopy).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void weightChangesBetweenCallsAreSeen() {
        UNet net = randomised(UNetConfig.small(), 14);
        INDArray[] in = inputs(2, 6);
        INDArray before = net.predict(in[0], in[1], in[2]);
        net.weights().get("out.b").addi(0.5);
        INDArray after = net.predict(in[0], in[1], in[2]);
        assertEquals(0.5, after.sub(before).meanNumber().doubleValue(), 1e-5);
    }
}
