package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The continuous-time bound of masked diffusion as a loss on logits (MDLM; Sahoo et al. 2024,
 * "Simple and effective masked diffusion language models", eq. 10 with the SUBS
 * parameterisation of §3.2; Shi et al. 2024, "Simplified and generalized masked diffusion",
 * eq. 5): with x0 the clean tokens (the batch's target), x_t the network's input, w_b =
 * −α′_t/(1 − α_t) the batch's weight, and p_θ = softmax of the logits with the mask's logit set
 * to −∞ (SUBS "zero masking probabilities": the model never predicts [M]),
 * <pre>
 *   L = (1/(B·L)) · Σ_b w_b · Σ_{i: x_t^i = [M]} −log p_θ(x0^i | x_t)_b
 * </pre>
 * Unmasked positions carry no loss (SUBS "carry-over unmasking": the model copies them). The
 * normalisation is per token of the sequence (B·L, masked or not), so L is an unbiased estimate
 * of the negative ELBO in nats per character; divide by ln 2 for bits per character.
 *
 * <p>Gradient, for masked positions only (zero elsewhere and in the mask column):
 * ∂L/∂z_bij = w_b·(p_bij − 1[j = x0^i])/(B·L).
 */
public final class MaskedCrossEntropy implements Loss {

    private final int maskId;

    /** @param maskId the id of [M], which must be the last column of the logits */
    public MaskedCrossEntropy(int maskId) {
        if (maskId < 1) throw new IllegalArgumentException("maskId (%d) must be ≥ 1".formatted(maskId));
        this.maskId = maskId;
    }

    public int maskId() { return maskId; }

    /**
     * @param out  logits [R, L, V+1], column V = maskId the mask
     * @param rows input x_t [R, L] and target x0 [R, L] as ids, weight [R] (null = 1)
     */
    @Override
    public double apply(INDArray out, Batch rows, int total, INDArray dOut) {
        int columns = maskId + 1;
        if (out.rank() != 3 || out.size(2) != columns) throw new IllegalArgumentException(
                "logits must be [R, L, %d], got %s".formatted(columns, java.util.Arrays.toString(out.shape())));
        int r = (int) out.size(0), length = (int) out.size(1);
        int[] xt = ids(rows.input(), r * length, "input"), x0 = ids(rows.target(), r * length, "target");
        float[] z = HeapArrays.floats(out), w = rows.weight() == null ? null : HeapArrays.floats(rows.weight());
        float[] d = new float[z.length];
        double scale = 1.0 / ((double) total * length), loss = 0;
        for (int b = 0; b < r; b++) {
            double wb = w == null ? 1 : w[b], sum = 0;
            for (int i = 0; i < length; i++) {
                int p = b * length + i;
                if (xt[p] != maskId) continue;
                int target = x0[p];
                if (target < 0 || target >= maskId) throw new IllegalArgumentException(
                        "target id %d at row %d, position %d is not a character (0…%d)".formatted(target, b, i, maskId - 1));
                int base = p * columns;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < maskId; j++) max = Math.max(max, z[base + j]);
                double norm = 0;
                for (int j = 0; j < maskId; j++) norm += Math.exp(z[base + j] - max);
                double logNorm = max + Math.log(norm);
                sum += logNorm - z[base + target];
                double g = wb * scale;
                for (int j = 0; j < maskId; j++) d[base + j] = (float) (g * Math.exp(z[base + j] - logNorm));
                d[base + target] -= (float) g;
            }
            loss += wb * sum;
        }
        HeapArrays.write(d, dOut, d.length);
        return loss * scale;
    }

    /** The n ids of {@code a} (the batch's input or target), or a message naming {@code what} is wrong. */
    static int[] ids(INDArray a, int n, String what) {
        if (a == null || a.length() != n) throw new IllegalArgumentException(
                "%s must hold %d ids, got %s".formatted(what, n, a == null ? "none" : a.length()));
        return HeapArrays.ints(a);
    }
}
