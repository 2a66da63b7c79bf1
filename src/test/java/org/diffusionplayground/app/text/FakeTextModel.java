package org.diffusionplayground.app.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small stand-in for a trained text model over tiny Shakespeare's 65 characters: at every
 * position it gives the character of a fixed {@link #TARGET} probability ≈ 0.6 and spreads the
 * rest evenly, whatever the other positions hold (positions are independent, as in the
 * samplers' own tests). Masked: [M] is id 65 and an unmasked position keeps its character; uniform:
 * the same logits read as log-scores; autoregressive: the masked fake, [M] read as "not yet
 * written" (its logits at a position do not depend on the positions after it). Records the
 * threads it ran on.
 */
final class FakeTextModel implements TokenModel {

    static final String TARGET = "To be, or not to be, that is the question: whether 'tis nobler!\n";
    static final int CONTEXT = 64;

    final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final int[] target;
    private final boolean masked, autoregressive;
    private final int characters;

    FakeTextModel(TextCorpus corpus, boolean masked) {
        this(corpus, masked ? TokenFamily.MASKED : TokenFamily.UNIFORM);
    }

    FakeTextModel(TextCorpus corpus, TokenFamily family) {
        this.target = corpus.encode(TARGET.substring(0, CONTEXT));
        this.masked = family != TokenFamily.UNIFORM;
        this.autoregressive = family == TokenFamily.AUTOREGRESSIVE;
        this.characters = corpus.vocabularySize();
    }

    @Override
    public INDArray logits(INDArray tokens, double t) {
        threads.add(Thread.currentThread().getName());
        int b = (int) tokens.size(0), l = (int) tokens.size(1), v = vocabularySize();
        int[] z = tokens.castTo(DataType.INT32).dup('c').data().asInt();
        float[] out = new float[b * l * v];
        for (int i = 0; i < z.length; i++) {
            int want = target[i % l];
            boolean known = masked && z[i] != characters;
            for (int k = 0; k < v; k++) {
                float logit = k == want ? (float) Math.log(0.6 * (characters - 1) / 0.4) : 0f;
                out[i * v + k] = known ? (k == z[i] ? 0f : Float.NEGATIVE_INFINITY) : logit;
            }
            if (masked) out[i * v + characters] = known ? Float.NEGATIVE_INFINITY : 5f; // ignored by the samplers
        }
        return Nd4j.create(out, new long[] {b, l, v}, 'c');
    }

    @Override public int vocabularySize() { return masked ? characters + 1 : characters; }

    @Override public int maskToken() { return masked ? characters : -1; }

    @Override public boolean autoregressive() { return autoregressive; }

    /** Both processes' fakes as the page's model source, no left-to-right baseline; {@code open} is refused. */
    static TextNetworks networks(FakeTextModel masked, FakeTextModel uniform) {
        return networks(masked, uniform, null);
    }

    /** The three fakes (a null one: none shipped) as the page's model source; {@code open} is refused. */
    static TextNetworks networks(FakeTextModel masked, FakeTextModel uniform, FakeTextModel autoregressive) {
        return new TextNetworks() {
            @Override public Optional<TextNetwork> shipped(TokenFamily family) {
                FakeTextModel m = switch (family) {
                    case MASKED -> masked;
                    case UNIFORM -> uniform;
                    case AUTOREGRESSIVE -> autoregressive;
                };
                return m == null ? Optional.empty() : Optional.of(new TextNetwork("fake " + family.label(), m, CONTEXT));
            }

            @Override public TextNetwork open(Path file) throws IOException {
                throw new IOException(file + " is not a text model (test)");
            }
        };
    }
}
