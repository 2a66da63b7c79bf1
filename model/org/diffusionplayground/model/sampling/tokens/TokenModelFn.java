package org.diffusionplayground.model.sampling.tokens;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A token model as samplers see it: evaluate at (z_t, t), with the logits' shape checked against
 * the contract. Counts network function evaluations (NFE): one per call, whatever the batch.
 */
public final class TokenModelFn {

    private final TokenModel model;
    private int nfe;

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

    /** Logits [B, L, V] at tokens z_t [B, L] and time t. */
    public INDArray logits(INDArray tokens, double t) {
        nfe++;
        INDArray logits = model.logits(tokens, t);
        long[] expected = {tokens.size(0), tokens.size(1), model.vocabularySize()};
        if (!Arrays.equals(logits.shape(), expected)) {
            throw new IllegalStateException("the model returned logits %s for tokens %s; expected %s".formatted(
                    Arrays.toString(logits.shape()), Arrays.toString(tokens.shape()), Arrays.toString(expected)));
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
