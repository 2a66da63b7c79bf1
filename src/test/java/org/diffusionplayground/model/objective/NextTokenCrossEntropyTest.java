package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.diffusionplayground.model.nn.Batch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The left-to-right model's negative log-likelihood as a loss, against a direct double-precision
 * computation written from the definition (log-softmax over the V real tokens at every position,
 * the [M] column left out, no weights) and its gradient against central finite differences.
 */
class NextTokenCrossEntropyTest {

    static final int B = 3, L = 5, V = 4; // ids 0…3, [M] = 4

    final SplittableRandom random = new SplittableRandom(4);
    final float[] logits = new float[B * L * (V + 1)];
    final int[] x0 = new int[B * L];

    NextTokenCrossEntropyTest() {
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (3 * random.nextGaussian());
        for (int i = 0; i < x0.length; i++) x0[i] = random.nextInt(V);
    }

    Batch batch() {
        INDArray x = Nd4j.createFromArray(x0).reshape(B, L);
        return new Batch(x, Nd4j.zeros(DataType.FLOAT, B), null, x, Nd4j.createFromArray(9f, 9f, 9f)); // the weight is not read
    }

    double loss(float[] z, INDArray dOut) {
        return new NextTokenCrossEntropy(V).apply(Nd4j.create(z, new long[] {B, L, V + 1}, 'c'), batch(), B,
                dOut == null ? Nd4j.create(DataType.FLOAT, B, L, V + 1) : dOut);
    }

    /** (1/(B·L))·Σ_p (log Σ_{j<V} e^{z_pj} − z_{p,x0}) in doubles. */
    double direct(float[] z) {
        double total = 0;
        for (int p = 0; p < B * L; p++) {
            double norm = 0;
            for (int j = 0; j < V; j++) norm += Math.exp(z[p * (V + 1) + j]);
            total += Math.log(norm) - z[p * (V + 1) + x0[p]];
        }
        return total / (B * L);
    }

    @Test
    void lossEqualsTheDirectComputationIgnoresTheMaskLogitAndIsLnVForZeroLogits() {
        assertEquals(direct(logits), loss(logits, null), 1e-6);
        float[] shifted = logits.clone();
        for (int p = 0; p < B * L; p++) shifted[p * (V + 1) + V] += 100;
        assertEquals(loss(logits, null), loss(shifted, null), 0.0);
        assertEquals(Math.log(V), loss(new float[logits.length], null), 1e-6, "uniform over V characters: ln V nats");
    }

    @Test
    void gradientMatchesFiniteDifferencesAndIsZeroInTheMaskColumn() {
        INDArray d = Nd4j.create(DataType.FLOAT, B, L, V + 1);
        loss(logits, d);
        float[] g = d.data().asFloat();
        double h = 1e-2;
        for (int i = 0; i < logits.length; i++) {
            float[] plus = logits.clone(), minus = logits.clone();
            plus[i] += h;
            minus[i] -= h;
            assertEquals((direct(plus) - direct(minus)) / (2 * h), g[i], 1e-4, "logit " + i);
            if (i % (V + 1) == V) assertEquals(0f, g[i], "the [M] column carries no loss");
        }
    }

    @Test
    void partsOfABatchAddUpToTheWholeBatch() {
        INDArray z = Nd4j.create(logits, new long[] {B, L, V + 1}, 'c');
        NextTokenCrossEntropy loss = new NextTokenCrossEntropy(V);
        double whole = loss.apply(z, batch(), B, Nd4j.create(DataType.FLOAT, B, L, V + 1)), parts = 0;
        for (int b = 0; b < B; b++) {
            INDArray rows = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 1)).dup('c');
            parts += loss.apply(rows, batch().rows(b, b + 1), B, Nd4j.create(DataType.FLOAT, 1, L, V + 1));
        }
        assertEquals(whole, parts, 1e-9);
    }

    @Test
    void aTargetThatIsNotACharacterIsRefusedWithItsPosition() {
        x0[7] = V;
        var e = assertThrows(IllegalArgumentException.class, () -> loss(logits, null));
        assertEquals("target id 4 at row 1, position 2 is not a character (0…3)", e.getMessage());
    }
}
