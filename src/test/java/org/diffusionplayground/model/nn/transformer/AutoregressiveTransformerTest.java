package org.diffusionplayground.model.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DDiT as a left-to-right model (process "autoregressive"): against the plain-Java reference
 * written from the description (input shifted right by one, causal attention, t = 0); causal in
 * both passes — position i's logits do not move when any token at j ≥ i changes, and do move
 * when the token just before changes; blind to t; and the samplers' view of it.
 */
@ExtendWith(SingleThreadNd4j.class)
class AutoregressiveTransformerTest {

    static final int L = 12, V = 65, B = 3;
    static final TransformerConfig AR = new TransformerConfig(V, L, 16, 4, 2, 2, 8, 8, TransformerConfig.AUTOREGRESSIVE,
            TransformerConfig.NO_SCHEDULE); // 4 heads, 2 layers: head and block order both matter

    static INDArray tokens(long seed) {
        Noise noise = new Noise(seed);
        int[] x = new int[B * L];
        for (int i = 0; i < x.length; i++) x[i] = noise.nextInt(V + 1); // [M] included: the sampler's input
        return Nd4j.createFromArray(x).reshape(B, L);
    }

    static INDArray times() {
        return Nd4j.createFromArray(0.2f, 0.5f, 0.9f);
    }

    @Test
    void bothPassesEqualAPlainJavaForwardPassWrittenFromTheDescription() {
        Transformer net = TransformerTest.randomised(AR, 12);
        INDArray tokens = tokens(7);
        ReferenceDDiT reference = new ReferenceDDiT(AR, net.weights());
        int[] ids = tokens.data().asInt();
        for (INDArray logits : new INDArray[] {net.logits(tokens, times()), net.graphLogits(tokens, times())}) {
            double worst = 0, size = 0;
            for (int b = 0; b < B; b++) {
                double[][] expected = reference.logits(Arrays.copyOfRange(ids, b * L, (b + 1) * L), 0.5);
                for (int i = 0; i < L; i++) {
                    for (int j = 0; j <= V; j++) {
                        worst = Math.max(worst, Math.abs(expected[i][j] - logits.getDouble(b, i, j)));
                        size = Math.max(size, Math.abs(expected[i][j]));
                    }
                }
            }
            assertTrue(size > 1, "logits of a random network are O(1): " + size);
            assertTrue(worst < 1e-4 * size, "max |network − reference| %.3g at max |logit| %.3g".formatted(worst, size));
        }
    }

    /** Position i sees x_0 … x_{i−1}: changing x_j leaves positions 0 … j exactly as they were and moves j + 1. */
    @Test
    void changingTokenJLeavesEveryPositionUpToJUnchangedAndMovesTheNext() {
        Transformer net = TransformerTest.randomised(AR, 8);
        INDArray tokens = tokens(3);
        for (boolean handWritten : new boolean[] {true, false}) {
            net.handWritten(handWritten);
            String pass = handWritten ? "hand-written pass" : "graph";
            INDArray before = net.logits(tokens, times());
            for (int j = 0; j < L; j++) {
                INDArray changed = tokens.dup();
                changed.putScalar(1, j, (tokens.getInt(1, j) + 1) % (V + 1));
                INDArray after = net.logits(changed, times());
                for (int i = 0; i <= j; i++) {
                    assertEquals(row(before, 1, i), row(after, 1, i), "%s: x_%d changed the logits at position %d".formatted(pass, j, i));
                }
                if (j + 1 < L) assertTrue(row(after, 1, j + 1).sub(row(before, 1, j + 1)).amaxNumber().doubleValue() > 1e-4,
                        "%s: x_%d did not reach position %d".formatted(pass, j, j + 1));
                assertEquals(row(before, 0, L - 1), row(after, 0, L - 1), "other sequences are untouched");
            }
        }
        net.handWritten(true);
    }

    @Test
    void positionZeroReadsOnlyTheStartTokenAndTIsIgnored() {
        Transformer net = TransformerTest.randomised(AR, 9);
        INDArray a = net.logits(tokens(1), times()), b = net.logits(tokens(2), Nd4j.createFromArray(0.9f, 0.01f, 0.4f));
        for (int r = 0; r < B; r++) assertEquals(row(a, 0, 0), row(b, r, 0), "position 0 of row " + r);
        INDArray x = tokens(4);
        assertEquals(net.logits(x, times()), net.logits(x, Nd4j.createFromArray(0.7f, 0.1f, 1f)));
        assertEquals(net.logits(x, 0.3), net.logits(x, 0.8));
    }

    @Test
    void samplersSeeAnAutoregressiveModelWithTheNotYetWrittenIdAsItsLastToken() {
        Transformer net = AR.create(1);
        assertTrue(net.autoregressive());
        assertFalse(net.absorbing(), "not a masked-diffusion model");
        assertEquals(V + 1, net.vocabularySize());
        assertEquals(V, net.maskToken());
        assertArrayEquals(new long[] {B, L, V + 1}, net.logits(tokens(5), 0.5).shape());
        assertFalse(TransformerConfig.preset("tiny", V).forProcess(TransformerConfig.ABSORBING).autoregressive());
        var e = assertThrows(IllegalArgumentException.class, () -> new TransformerConfig(V, L, 16, 4, 2, 2, 8, 8,
                TransformerConfig.AUTOREGRESSIVE, "linear"));
        assertTrue(e.getMessage().contains("must be none"), e.getMessage());
    }

    private static INDArray row(INDArray logits, int b, int i) {
        return logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b), org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }
}
