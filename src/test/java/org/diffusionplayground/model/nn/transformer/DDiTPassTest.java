package org.diffusionplayground.model.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.runtime.SecondLane;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.objective.MaskedCrossEntropy;
import org.diffusionplayground.model.objective.NextTokenCrossEntropy;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-written DDiT passes ({@link DDiTForward}, {@link DDiTBackward}) against SameDiff's
 * graph (outputs and gradients) and against finite differences of the loss, on a network with
 * two blocks, several heads and every weight random (adaLN-Zero's zeros would hide whole paths),
 * bidirectional (absorbing, with {@link MaskedCrossEntropy}) and causal (autoregressive, with
 * {@link NextTokenCrossEntropy} on clean windows).
 */
@ExtendWith(SingleThreadNd4j.class)
class DDiTPassTest {

    static final TransformerConfig TWO_BLOCKS = new TransformerConfig(65, 12, 24, 3, 2, 2, 10, 8,
            TransformerConfig.ABSORBING, MaskingSchedule.linear().name());

    static List<TransformerConfig> configs() {
        return List.of(TWO_BLOCKS, TWO_BLOCKS.forProcess(TransformerConfig.AUTOREGRESSIVE));
    }

    /** The loss each process trains with. */
    static Loss loss(TransformerConfig config) {
        return config.autoregressive() ? new NextTokenCrossEntropy(config.vocab()) : new MaskedCrossEntropy(config.maskId());
    }

    /** A training-like batch: x_t half masked for masked diffusion, the clean windows for the autoregressive model. */
    static Batch batch(TransformerConfig config, long seed) {
        Batch b = TransformerTest.batch(config, seed);
        return config.autoregressive() ? new Batch(b.target(), b.t(), null, b.target(), null) : b;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void logitsEqualTheGraphs(TransformerConfig config) {
        Transformer net = TransformerTest.randomised(config, 5);
        Batch batch = TransformerTest.batch(config, 9); // masks in the input too: the causal network reads them as tokens
        INDArray fast = net.logits(batch.input(), batch.t()), graph = net.graphLogits(batch.input(), batch.t());
        double size = graph.amaxNumber().doubleValue(), gap = fast.sub(graph).amaxNumber().doubleValue();
        assertTrue(size > 1, "random logits are O(1): " + size);
        assertTrue(gap < 2e-5 * size, "max |hand-written − graph| %.3g at max |logit| %.3g".formatted(gap, size));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void gradientsEqualTheGraphsVectorJacobianProduct(TransformerConfig config) {
        Transformer net = TransformerTest.randomised(config, 6);
        Batch batch = batch(config, 10);
        Loss loss = loss(config);
        Network.Gradients fast = net.gradients(batch, loss), graph = net.graphGradients(batch, loss);
        assertEquals(graph.loss(), fast.loss(), 1e-5 * graph.loss(), "loss");
        assertEquals(graph.byWeight().keySet(), fast.byWeight().keySet());
        for (String name : net.weights().keySet()) {
            INDArray e = graph.byWeight().get(name), a = fast.byWeight().get(name);
            assertEquals(java.util.Arrays.toString(e.shape()), java.util.Arrays.toString(a.shape()), name);
            double size = e.amaxNumber().doubleValue(), gap = a.sub(e).amaxNumber().doubleValue();
            assertTrue(size > 1e-7, name + ": the reference gradient is ~0");
            assertTrue(gap <= 1e-4 * size, "%s: max |hand-written − graph| %.3g at max |grad| %.3g".formatted(name, gap, size));
        }
    }

    /**
     * A batch larger than {@link Transformer#CHUNK} runs in near-equal chunks, on one lane or
     * shared between two: outputs and summed gradients equal the graph's either way.
     */
    @ParameterizedTest(name = "two lanes: {0}")
    @ValueSource(booleans = {false, true})
    void aBatchRunInChunksEqualsTheGraph(boolean twoLanes) {
        Transformer net = TransformerTest.randomised(TWO_BLOCKS, 8);
        net.splitBatches(twoLanes);
        int b = 2 * Transformer.CHUNK + 1; // three chunks of 11, or four of 8–9 for two lanes
        assertEquals(3, Transformer.chunks(b, false).size());
        assertEquals(List.of(8, 8, 8, 9), Transformer.chunks(b, true).stream().map(c -> c[1] - c[0]).toList());
        assertEquals(List.of(1, 1), Transformer.chunks(2, true).stream().map(c -> c[1] - c[0]).toList());
        Noise noise = new Noise(12);
        int l = TWO_BLOCKS.length(), m = TWO_BLOCKS.maskId();
        int[] x0 = new int[b * l], xt = new int[b * l];
        float[] t = new float[b], w = new float[b];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = noise.nextInt(TWO_BLOCKS.vocab());
            xt[i] = noise.uniform() < 0.5 ? m : x0[i];
        }
        for (int j = 0; j < b; j++) {
            t[j] = (j + 0.5f) / b;
            w[j] = 1 / t[j];
        }
        Batch batch = new Batch(Nd4j.createFromArray(xt).reshape(b, l), Nd4j.createFromArray(t), null,
                Nd4j.createFromArray(x0).reshape(b, l), Nd4j.createFromArray(w));
        long laneBefore = secondLaneCpuNanos();
        INDArray fast = net.logits(batch.input(), batch.t());
        MaskedCrossEntropy loss = new MaskedCrossEntropy(m);
        Network.Gradients chunked = net.gradients(batch, loss);
        long laneUsed = secondLaneCpuNanos() - laneBefore;
        if (!twoLanes) assertTrue(laneUsed < 2_000_000, "split off: the second lane ran for " + laneUsed / 1e6 + " ms");
        else if (SecondLane.available()) assertTrue(laneUsed > 0, "split on: the second lane did not run");
        INDArray graph = net.graphLogits(batch.input(), batch.t());
        assertTrue(fast.sub(graph).amaxNumber().doubleValue() < 2e-5 * graph.amaxNumber().doubleValue(), "logits");
        Network.Gradients whole = net.graphGradients(batch, loss);
        assertEquals(whole.loss(), chunked.loss(), 1e-5 * whole.loss(), "loss");
        for (String name : net.weights().keySet()) {
            INDArray e = whole.byWeight().get(name), a = chunked.byWeight().get(name);
            double size = e.amaxNumber().doubleValue(), gap = a.sub(e).amaxNumber().doubleValue();
            assertTrue(gap <= 1e-4 * size, "%s: max |chunked − graph| %.3g at max |grad| %.3g".formatted(name, gap, size));
        }
    }

    /** CPU time so far of the {@link SecondLane} thread (0 before it first runs). */
    private static long secondLaneCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("second-lane"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    }

    /** ⟨∇L, δ⟩ against (L(θ + εδ) − L(θ − εδ))/2ε along a random direction δ through every weight. */
    @ParameterizedTest
    @MethodSource("configs")
    void gradientsEqualFiniteDifferencesOfTheLoss(TransformerConfig config) {
        Transformer net = TransformerTest.randomised(config, 7);
        Batch batch = batch(config, 11);
        Loss loss = loss(config);
        Network.Gradients g = net.gradients(batch, loss);
        Noise noise = new Noise(3);
        Map<String, INDArray> theta = new LinkedHashMap<>(), delta = new LinkedHashMap<>();
        double directional = 0;
        for (var e : net.weights().entrySet()) {
            theta.put(e.getKey(), e.getValue().dup());
            INDArray d = noise.normal(e.getValue().shape());
            delta.put(e.getKey(), d);
            directional += g.byWeight().get(e.getKey()).mul(d).sumNumber().doubleValue();
        }
        double eps = 1e-3, plus = lossAt(net, theta, delta, eps, batch, loss), minus = lossAt(net, theta, delta, -eps, batch, loss);
        double numeric = (plus - minus) / (2 * eps);
        assertTrue(Math.abs(directional) > 1e-2, "the direction must change the loss: " + directional);
        assertEquals(numeric, directional, 2e-2 * Math.abs(directional),
                "directional derivative: finite differences %.6g, backward pass %.6g".formatted(numeric, directional));
    }

    private static double lossAt(Transformer net, Map<String, INDArray> theta, Map<String, INDArray> delta, double eps,
                                 Batch batch, Loss loss) {
        Map<String, INDArray> moved = new LinkedHashMap<>();
        theta.forEach((name, w) -> moved.put(name, w.add(delta.get(name).mul(eps))));
        net.setWeights(moved);
        double value = net.gradients(batch, loss).loss();
        net.setWeights(theta);
        return value;
    }
}
