package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.diffusionplayground.model.nn.Batch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The MDLM bound as a loss, against a direct double-precision computation written from the
 * definition (log-softmax over the V real tokens, the mask's logit left out) and its gradient
 * against central finite differences of the loss itself.
 */
class MaskedCrossEntropyTest {

    static final int B = 3, L = 5, V = 4, M = V; // ids 0…3, mask 4

    final SplittableRandom random = new SplittableRandom(3);
    final float[] logits = new float[B * L * (V + 1)];
    final int[] x0 = new int[B * L], xt = new int[B * L];
    final float[] weight = {2.5f, 1f, 7f};

    MaskedCrossEntropyTest() {
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (3 * random.nextGaussian());
        for (int i = 0; i < x0.length; i++) {
            x0[i] = random.nextInt(V);
            xt[i] = i % 3 == 0 ? x0[i] : M; // positions 0, 3, 6, … unmasked
        }
    }

    Batch batch() {
        return new Batch(Nd4j.createFromArray(xt).reshape(B, L), Nd4j.createFromArray(0.4f, 0.5f, 0.6f), null,
                Nd4j.createFromArray(x0).reshape(B, L), Nd4j.createFromArray(weight));
    }

    double loss(float[] z, INDArray dOut) {
        return new MaskedCrossEntropy(M).apply(Nd4j.create(z, new long[] {B, L, V + 1}, 'c'), batch(), B,
                dOut == null ? Nd4j.create(DataType.FLOAT, B, L, V + 1) : dOut);
    }

    /** (1/(B·L))·Σ_b w_b·Σ_{masked i} (log Σ_{j<V} e^{z_bij} − z_{b,i,x0}) in doubles. */
    double direct(float[] z) {
        double total = 0;
        for (int p = 0; p < B * L; p++) {
            if (xt[p] != M) continue;
            double norm = 0;
            for (int j = 0; j < V; j++) norm += Math.exp(z[p * (V + 1) + j]);
            total += weight[p / L] * (Math.log(norm) - z[p * (V + 1) + x0[p]]);
        }
        return total / (B * L);
    }

    @Test
    void lossEqualsTheDirectComputationAndIgnoresTheMaskLogit() {
        assertEquals(direct(logits), loss(logits, null), 1e-6);
        float[] shifted = logits.clone();
        for (int p = 0; p < B * L; p++) shifted[p * (V + 1) + M] += 100; // SUBS: [M] has zero probability
        assertEquals(loss(logits, null), loss(shifted, null), 0.0);
    }

    @Test
    void gradientMatchesFiniteDifferencesAndIsZeroAtUnmaskedPositionsAndTheMaskColumn() {
        INDArray d = Nd4j.create(DataType.FLOAT, B, L, V + 1);
        loss(logits, d);
        float[] g = d.data().asFloat();
        double h = 1e-2;
        for (int i = 0; i < logits.length; i++) {
            float[] plus = logits.clone(), minus = logits.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (direct(plus) - direct(minus)) / (2 * h);
            assertEquals(numeric, g[i], 1e-4, "logit " + i);
            int p = i / (V + 1), j = i % (V + 1);
            if (xt[p] != M || j == M) assertEquals(0f, g[i], "logit " + i + " carries no loss");
        }
    }

    @Test
    void partsOfABatchAddUpToTheWholeBatch() {
        INDArray z = Nd4j.create(logits, new long[] {B, L, V + 1}, 'c');
        MaskedCrossEntropy loss = new MaskedCrossEntropy(M);
        double whole = loss.apply(z, batch(), B, Nd4j.create(DataType.FLOAT, B, L, V + 1));
        double parts = 0;
        for (int b = 0; b < B; b++) {
            INDArray rows = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 1)).dup('c');
            parts += loss.apply(rows, batch().rows(b, b + 1), B, Nd4j.create(DataType.FLOAT, 1, L, V + 1));
        }
        assertEquals(whole, parts, 1e-9);
    }
}
