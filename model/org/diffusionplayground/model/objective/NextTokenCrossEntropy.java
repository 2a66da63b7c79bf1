package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The negative log-likelihood of a left-to-right model as a loss on logits (Bengio et al. 2003,
 * "A neural probabilistic language model", §1; Radford et al. 2018, eq. 1): with x0 the clean
 * tokens (the batch's target) and p_θ(· | x_&lt;i) = softmax of position i's logits over the V
 * real tokens (the last column, [M] — the start token and "not yet written" — never a target and
 * left out),
 * <pre>
 *   L = −(1/(B·L)) · Σ_b Σ_i log p_θ(x0^i | x0^&lt;i)_b
 * </pre>
 * on every position, unweighted: −log p(x0)/L in nats per character, exactly (no bound); divide by
 * ln 2 for bits per character. Which positions a logit may read is the network's business (causal).
 *
 * <p>Gradient: ∂L/∂z_bij = (p_bij − 1[j = x0^i])/(B·L) for j &lt; V, zero in the [M] column.
 */
public final class NextTokenCrossEntropy implements Loss {

    private final int tokens;

    /** @param tokens V, the real tokens; the logits carry V + 1 columns, the last one [M] */
    public NextTokenCrossEntropy(int tokens) {
        if (tokens < 2) throw new IllegalArgumentException("tokens (%d) must be ≥ 2".formatted(tokens));
        this.tokens = tokens;
    }

    /**
     * @param out  logits [R, L, V+1]
     * @param rows target x0 [R, L] as ids (the input and any weight are not read)
     */
    @Override
    public double apply(INDArray out, Batch rows, int total, INDArray dOut) {
        int v = tokens, columns = v + 1;
        if (out.rank() != 3 || out.size(2) != columns) throw new IllegalArgumentException(
                "logits must be [R, L, %d], got %s".formatted(columns, java.util.Arrays.toString(out.shape())));
        int r = (int) out.size(0), length = (int) out.size(1);
        int[] x0 = MaskedCrossEntropy.ids(rows.target(), r * length, "target");
        float[] z = HeapArrays.floats(out), d = new float[z.length];
        double scale = 1.0 / ((double) total * length), loss = 0;
        for (int p = 0; p < r * length; p++) {
            int target = x0[p], base = p * columns;
            if (target < 0 || target >= v) throw new IllegalArgumentException(
                    "target id %d at row %d, position %d is not a character (0…%d)".formatted(target, p / length, p % length, v - 1));
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, z[base + j]);
            double norm = 0;
            for (int j = 0; j < v; j++) norm += Math.exp(z[base + j] - max);
            double logNorm = max + Math.log(norm);
            loss += logNorm - z[base + target];
            for (int j = 0; j < v; j++) d[base + j] = (float) (scale * Math.exp(z[base + j] - logNorm));
            d[base + target] -= (float) scale;
        }
        HeapArrays.write(d, dOut, d.length);
        return loss * scale;
    }
}
