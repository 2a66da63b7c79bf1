package org.diffusionplayground.app.text;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.tokens.Clamp;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reverse run of a text model, off the UI thread: the page's {@link TokenRun} recipe on one
 * sequence of the model's context, the given characters clamped in place ({@link Clamp}), every
 * step recorded into a {@link TextRecording} as it completes. The seed fixes the prior and the
 * sampler's draws, so a changed setting restarts from the same z_1.
 */
public final class TextRun {

    /** Characters the user gives: none, a prompt (the beginning), or a template ('_' = generated). */
    public enum Given { NONE, PROMPT, TEMPLATE }

    /**
     * What one run needs.
     *
     * @param length characters shown (the template's length for a template)
     * @param text   the prompt or template ("" for none)
     */
    public record Settings(TokenRun recipe, long seed, int length, Given given, String text) {
        public Settings {
            Objects.requireNonNull(recipe, "recipe");
            Objects.requireNonNull(given, "given");
            Objects.requireNonNull(text, "text");
            if (length < 1) throw new IllegalArgumentException("length (%d) must be ≥ 1".formatted(length));
        }

        /** Per position of the model's {@code context}: the given id, or −1 where the model writes. */
        public int[] fixed(TextCorpus corpus, int context) {
            if (length > context) throw new IllegalArgumentException(
                    "%d characters is longer than the model's context of %d".formatted(length, context));
            int[] fixed = Clamp.none(context).fixed();
            switch (given) {
                case NONE -> { }
                case PROMPT -> {
                    if (text.length() > length) throw new IllegalArgumentException(
                            "the prompt (%d characters) is longer than the length (%d)".formatted(text.length(), length));
                    System.arraycopy(corpus.encode(text), 0, fixed, 0, text.length());
                }
                case TEMPLATE -> {
                    if (text.length() > context) throw new IllegalArgumentException(
                            "%d characters is longer than the model's context of %d".formatted(text.length(), context));
                    for (int i = 0; i < text.length(); i++) {
                        char c = text.charAt(i);
                        if (c != '_') fixed[i] = corpus.encode(String.valueOf(c))[0];
                    }
                }
            }
            return fixed;
        }
    }

    private TextRun() {
    }

    /**
     * Runs {@code settings} on {@code net}, recording every step into {@code into} and reporting
     * the fraction done; stops between steps when {@code cancelled} says so. ND4J is held to one
     * thread, as for the image pages.
     */
    public static void run(Settings settings, TextNetwork net, int[] fixed, TextRecording into, DoubleConsumer progress,
                           BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) return;
        Clamp clamp = new Clamp(fixed);
        try (Threads single = Threads.limit(1)) {
            // the recipe's own prior: TokenRun.run starts from prior(model, 1, L, new Noise(seed))
            into.start(ints(clamp.apply(TokenRun.prior(net.model(), 1, clamp.length(), new Noise(settings.seed())))));
            progress.accept(0);
            long start = System.nanoTime();
            int v = net.model().vocabularySize();
            settings.recipe().run(net.model(), clamp, 1, settings.seed(), e -> {
                float[] logits = HeapArrays.floats(e.logits());
                into.step(e.index(), e.s(), e.nfe(), (System.nanoTime() - start) / 1e6, ints(e.tokens()), logits, v);
                progress.accept((e.index() + 1.0) / e.total());
            }, cancelled);
        }
    }

    private static int[] ints(INDArray tokens) {
        return HeapArrays.ints(tokens);
    }
}
