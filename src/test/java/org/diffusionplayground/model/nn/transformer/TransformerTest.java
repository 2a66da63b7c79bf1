package org.diffusionplayground.model.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.objective.MaskedCrossEntropy;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DDiT's shapes, weight names and checkpoint round trip, and its generic gradients (the
 * vector–Jacobian product through SameDiff with {@link MaskedCrossEntropy}) against SameDiff's
 * own differentiation of the same bound written as graph ops from its definition.
 */
@ExtendWith(SingleThreadNd4j.class)
class TransformerTest {

    static final TransformerConfig TINY = TransformerConfig.preset("tiny", 65);
    static final int B = 3;

    @TempDir Path dir;

    /** A network whose weights are all random (adaLN-Zero starts with zero gradients for most). */
    static Transformer randomised(TransformerConfig config, long seed) {
        Transformer net = config.create(seed);
        Noise noise = new Noise(seed + 1);
        Map<String, INDArray> values = new LinkedHashMap<>();
        net.weights().forEach((name, w) -> values.put(name, noise.normal(w.shape()).muli(0.3)));
        net.setWeights(values);
        return net;
    }

    static Batch batch(TransformerConfig config, long seed) {
        Noise noise = new Noise(seed);
        int l = config.length(), m = config.maskId();
        int[] x0 = new int[B * l], xt = new int[B * l];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = noise.nextInt(config.vocab());
            xt[i] = noise.uniform() < 0.5 ? m : x0[i];
        }
        return new Batch(Nd4j.createFromArray(xt).reshape(B, l), Nd4j.createFromArray(0.2f, 0.5f, 0.9f), null,
                Nd4j.createFromArray(x0).reshape(B, l), Nd4j.createFromArray(5f, 2f, 1.1f));
    }

    @Test
    void logitsAreBatchByLengthByVocabularyPlusMaskAndStartAtZero() {
        Transformer net = TINY.create(1);
        Batch batch = batch(TINY, 2);
        INDArray logits = net.logits(batch.input(), batch.t());
        assertArrayEquals(new long[] {B, 16, 66}, logits.shape());
        assertEquals(0.0, logits.amaxNumber().doubleValue(), 0.0, "adaLN-Zero: the final layer starts at zero");
        assertTrue(net.weights().containsKey("blocks.0.attn.qkv.w"));
        assertArrayEquals(new long[] {16, 48}, net.weights().get("blocks.0.attn.qkv.w").shape());
        assertArrayEquals(new long[] {66, 16}, net.weights().get("embed.tokens").shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.logits(Nd4j.zeros(DataType.INT32, 1, 15), Nd4j.zeros(DataType.FLOAT, 1)));
        assertTrue(e.getMessage().contains("[B, 16]"), e.getMessage());
    }

    @Test
    void vectorJacobianGradientsEqualSameDiffsGradientsOfTheBoundWrittenInTheGraph() {
        Transformer ours = randomised(TINY, 11), reference = randomised(TINY, 11);
        Batch batch = batch(TINY, 3);
        Network.Gradients g = ours.gradients(batch, new MaskedCrossEntropy(TINY.maskId()));

        SameDiff sd = reference.sameDiff();
        int l = TINY.length(), v = TINY.vocab();
        SDVariable logits = sd.getVariable(DDiTGraph.LOGITS);
        SDVariable real = logits.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, v)); // SUBS: drop [M]
        SDVariable target = sd.placeHolder("x0", DataType.FLOAT, -1, l, v);
        SDVariable scale = sd.placeHolder("scale", DataType.FLOAT, -1, l); // w_b/(B·L) where masked, else 0
        // log-softmax written out (sd.nn.logSoftmax with an axis fails to build in M2.1)
        SDVariable logSoftmax = real.sub(sd.math.log(sd.sum(sd.math.exp(real), true, 2)));
        SDVariable logp = sd.sum(logSoftmax.mul(target), 2);
        sd.math.neg("bound", sd.sum(logp.mul(scale)));
        sd.setLossVariables("bound");
        int[] xt = batch.input().data().asInt(), x0 = batch.target().data().asInt();
        float[] w = batch.weight().toFloatVector(), s = new float[B * l], oneHot = new float[B * l * v];
        for (int i = 0; i < s.length; i++) {
            s[i] = xt[i] == TINY.maskId() ? w[i / l] / (B * l) : 0;
            oneHot[i * v + x0[i]] = 1;
        }
        Map<String, INDArray> in = new HashMap<>();
        in.put(DDiTGraph.TOKENS, batch.input());
        in.put(DDiTGraph.T, batch.t());
        in.put("x0", Nd4j.create(oneHot, new long[] {B, l, v}, 'c'));
        in.put("scale", Nd4j.create(s, new long[] {B, l}, 'c'));
        double expectedLoss = sd.output(in, "bound").get("bound").getDouble(0);
        Map<String, INDArray> expected = sd.calculateGradients(in, ours.weights().keySet());

        assertEquals(expectedLoss, g.loss(), 1e-5 * expectedLoss, "loss");
        assertEquals(ours.weights().keySet(), g.byWeight().keySet());
        for (String name : ours.weights().keySet()) {
            INDArray e = expected.get(name), a = g.byWeight().get(name);
            double size = e.amaxNumber().doubleValue(), gap = a.sub(e).amaxNumber().doubleValue();
            assertTrue(size > 1e-7, name + ": the reference gradient is ~0");
            assertTrue(gap <= 1e-3 * size, "%s: max |ours − SameDiff| %.3g at max |grad| %.3g".formatted(name, gap, size));
        }
    }

    @Test
    void logitsEqualAPlainJavaForwardPassWrittenFromTheDescription() {
        TransformerConfig config = new TransformerConfig(65, 12, 16, 4, 2, 2, 8, 8, TransformerConfig.ABSORBING,
                TINY.schedule()); // 4 heads, 2 layers: head and block order both matter
        Transformer net = randomised(config, 12);
        Batch batch = batch(config, 7);
        INDArray logits = net.logits(batch.input(), batch.t());
        ReferenceDDiT reference = new ReferenceDDiT(config, net.weights());
        int[] tokens = batch.input().data().asInt();
        float[] t = batch.t().toFloatVector();
        double worst = 0, size = 0;
        for (int b = 0; b < B; b++) {
            double[][] expected = reference.logits(java.util.Arrays.copyOfRange(tokens, b * 12, (b + 1) * 12), t[b]);
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 66; j++) {
                    worst = Math.max(worst, Math.abs(expected[i][j] - logits.getDouble(b, i, j)));
                    size = Math.max(size, Math.abs(expected[i][j]));
                }
            }
        }
        assertTrue(size > 1, "logits of a random network are O(1): " + size);
        assertTrue(worst < 1e-4 * size, "max |graph − reference| %.3g at max |logit| %.3g".formatted(worst, size));
    }

    @Test
    void attentionIsBidirectionalAndSeesPositions() {
        Transformer net = randomised(TINY, 8);
        Batch batch = batch(TINY, 6);
        INDArray tokens = batch.input().dup(), logits = net.logits(tokens, batch.t());
        // without positions, reversing the sequence would reverse the logits; the rotary angles break that
        INDArray reversed = tokens.dup();
        for (int i = 0; i < 16; i++) reversed.putColumn(i, tokens.getColumn(15 - i));
        INDArray back = net.logits(reversed, batch.t());
        double worst = 0;
        for (int i = 0; i < 16; i++) {
            worst = Math.max(worst, logits.get(SDIndexes.column(i)).sub(back.get(SDIndexes.column(15 - i))).amaxNumber().doubleValue());
        }
        assertTrue(worst > 1e-3, "reversal changed the logits by at most " + worst);
        // a token at the end changes the logits at the start, and the other way round
        INDArray changed = tokens.dup();
        changed.putScalar(0, 15, (tokens.getInt(0, 15) + 1) % 65);
        INDArray after = net.logits(changed, batch.t());
        assertTrue(after.get(SDIndexes.column(0)).sub(logits.get(SDIndexes.column(0))).amaxNumber().doubleValue() > 1e-4);
        assertEquals(logits.get(SDIndexes.row(1)), after.get(SDIndexes.row(1)), "other sequences are untouched");
    }

    /** Index helpers for [B, L, V] arrays. */
    private static final class SDIndexes {
        static org.nd4j.linalg.indexing.INDArrayIndex[] column(int i) {
            return new org.nd4j.linalg.indexing.INDArrayIndex[] {org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all()};
        }

        static org.nd4j.linalg.indexing.INDArrayIndex[] row(int b) {
            return new org.nd4j.linalg.indexing.INDArrayIndex[] {org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()};
        }
    }

    @Test
    void aCheckpointRoundTripsItsConfigAndWeights() throws Exception {
        Transformer net = randomised(TINY, 5);
        Path file = dir.resolve("t.dpck");
        CheckpointFile.write(new Checkpoint(TINY, null, 0, Double.NaN, net.weights(), null, null), file);
        Checkpoint back = CheckpointFile.read(file);
        assertEquals(Architecture.TRANSFORMER, back.model().architecture());
        assertEquals(TINY, back.model());
        Network again = back.model().create(0);
        again.setWeights(back.weights());
        Batch batch = batch(TINY, 4);
        assertEquals(net.logits(batch.input(), batch.t()), ((Transformer) again).logits(batch.input(), batch.t()));
    }
}
