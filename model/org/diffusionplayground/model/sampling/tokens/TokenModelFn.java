package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A token model as samplers see it: evaluate at (z_t, t), with the logits' shape checked against
 * the contract. Counts network function evaluations (NFE): one per call, whatever the batch.
 */
public final class TokenModelFn {

    private final TokenModel model;
    private int nfe;
    private boolean cache;
    private int[] cachedTokens;
    private INDArray cachedLogits;

    public TokenModelFn(TokenModel model) {
        if (model.vocabularySize() < 2) {
            throw new IllegalArgumentException("vocabulary size (%d) must be ≥ 2".formatted(model.vocabularySize()));
        }
        if (model.maskToken() >= model.vocabularySize()) {
            throw new IllegalArgumentException("mask token (%d) outside the vocabulary [0, %d)"
                    .formatted(model.maskToken(), model.vocabularySize()));
        }
        this.model = model;
    }

    /**
     * Whether a call with the same tokens as the previous call returns the previous logits
     * without evaluating the model (MDLM's cache, Sahoo et al. 2024, §3.5: a masked-diffusion step
     * that revealed nothing leaves z_t unchanged). Exact for a model that ignores t — as the ideal
     * masked-diffusion model does, E[x0 | z_t] not depending on t under SUBS — and otherwise an
     * approximation that skips the network.
     */
    public TokenModelFn cacheUnchanged(boolean on) {
        cache = on;
        return this;
    }

    /** Logits [B, L, V] at tokens z_t [B, L] and time t. */
    public INDArray logits(INDArray tokens, double t) {
        int[] ids = cache ? HeapArrays.ints(tokens) : null;
        if (cache && cachedLogits != null && Arrays.equals(ids, cachedTokens) && cachedLogits.size(0) == tokens.size(0)) {
            return cachedLogits;
        }
        nfe++;
        INDArray logits = model.logits(tokens, t);
        long[] expected = {tokens.size(0), tokens.size(1), model.vocabularySize()};
        if (!Arrays.equals(logits.shape(), expected)) {
            throw new IllegalStateException("the model returned logits %s for tokens %s; expected %s".formatted(
                    Arrays.toString(logits.shape()), Arrays.toString(tokens.shape()), Arrays.toString(expected)));
        }
        if (cache) {
            cachedTokens = ids;
            cachedLogits = logits;
        }
        return logits;
    }

    public int vocabularySize() {
        return model.vocabularySize();
    }

    public int maskToken() {
        return model.maskToken();
    }

    public int nfe() {
        return nfe;
    }
}
