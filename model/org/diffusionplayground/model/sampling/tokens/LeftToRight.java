package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ancestral sampling of a left-to-right model by the chain rule p(x) = Π_i p(x_i | x_&lt;i)
 * (Bengio et al. 2003, "A neural probabilistic language model", §1), one character per network
 * evaluation, each drawn and fed back as the next input (Graves 2013, "Generating sequences with
 * recurrent neural networks", §2). A step writes, in every row, the leftmost position still
 * holding [M] ("not yet written"); a causal model's logits there depend on the positions before
 * it only, so the positions still [M] to its right do not matter. Writing L positions takes L steps
 * and L NFE (no key–value cache: each step is a full forward pass, as a diffusion step is).
 *
 * <p>Given positions ({@link Clamp}) are never [M], so they are never written and every later
 * position sees them: a prompt is continued. A template's blanks are filled left to right with
 * its characters kept, but a blank sees only what is left of it — the characters given to its
 * right cannot steer it, which is what masked diffusion's infilling adds.
 *
 * @param noise  the run's random source: one uniform per row per step
 * @param filter temperature, top-k, top-p of the written characters
 */
public record LeftToRight(Noise noise, TokenFilter filter) implements TokenSampler {

    public LeftToRight {
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * Notation: z the tokens [B, L], [M] the not-yet-written id, p_θ(· | z_&lt;i) the model's
     * (filtered) distribution at position i over the tokens other than [M].
     * <ol>
     *   <li>the logits from one model evaluation (t is passed on; a left-to-right model ignores it);</li>
     *   <li>per row, in order: i = the leftmost position with z_i = [M] (none: the row is done);</li>
     *   <li>z_i = the inverse CDF of p_θ(· | z_&lt;i) at one u ~ U[0, 1).</li>
     * </ol>
     */
    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        int mask = model.maskToken(), v = model.vocabularySize();
        if (mask < 0) throw new IllegalArgumentException("left-to-right sampling needs the model's not-yet-written id ([M])");
        INDArray logits = model.logits(tokens, t); // [B, L, V]
        int b = (int) tokens.size(0), l = (int) tokens.size(1);
        int[] z = HeapArrays.ints(tokens);
        double[] lg = HeapArrays.doubles(logits);
        double[] p = new double[v];
        for (int row = 0; row < b; row++) {
            int i = row * l;
            while (i < (row + 1) * l && z[i] != mask) i++;
            if (i == (row + 1) * l) continue;
            z[i] = TokenFilter.draw(filter.probabilities(lg, i * v, v, mask, p), v, noise.uniform());
        }
        return new Step(Nd4j.createFromArray(z).reshape(b, l), logits);
    }
}
