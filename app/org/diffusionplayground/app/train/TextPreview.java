package org.diffusionplayground.app.train;

import org.diffusionplayground.model.nn.HeapArrays;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.eval.BitsPerCharacter;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.objective.TextDiffusion;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.tokens.Clamp;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenRun;

/**
 * The Train page's preview of a text run after each checkpoint, from its model file (the EMA
 * weights): one sample of the network's context by its process's default sampler in
 * {@value #STEPS} steps (MDLM's ancestral step, Sahoo et al. 2024; SEDD's Tweedie τ-leaping, Lou et
 * al. 2023; the left-to-right baseline: one step per character), and the validation bound in bits per character ({@link BitsPerCharacter}: MDLM eq. 10,
 * SEDD eq. 11) on the first {@value #WINDOWS} validation windows with one Monte Carlo draw of
 * (t, noise). Both are seeded, so successive checkpoints are measured on the same windows, times
 * and masks, and sample from the same prior and draws. Runs as an app job with ND4J held to one
 * thread, as {@link PreviewSampler} does.
 */
final class TextPreview {

    static final int STEPS = 64;
    static final int WINDOWS = 64;
    private static final int BATCH = 16;
    private static final long SEED = 7;
    private static TextCorpus shakespeare; // read once: every text run trains on it

    private TextPreview() {
    }

    /**
     * A text run's preview.
     *
     * @param bitsPerChar the validation bound of the EMA weights
     * @param windows     validation windows it was measured on
     */
    record Preview(int step, String text, double bitsPerChar, int windows, int length, String sampler) {

        /** The bound in nats per character, the training loss's unit. */
        double natsPerChar() { return bitsPerChar * Math.log(2); }
    }

    /** Loads a run folder's text model (or a .dpck file) and samples the preview. */
    static Preview sample(Path runFolderOrFile) throws IOException {
        ModelLoader.Loaded loaded = ModelLoader.open(runFolderOrFile.toString(), Architecture.TRANSFORMER);
        Transformer net = (Transformer) loaded.net();
        TextCorpus corpus = corpus();
        TextDiffusion objective = TextDiffusion.of(net.config(), corpus); // fails with the sizes if it is not this corpus's model
        int length = net.config().length();
        try (Threads single = Threads.limit(1)) {
            TokenFamily family = TokenFamily.of(net);
            // a left-to-right model writes one character a step: its whole context
            TokenRun recipe = TokenRun.defaults(family, family == TokenFamily.AUTOREGRESSIVE ? length : STEPS);
            var tokens = recipe.run(net, Clamp.none(length), 1, SEED, e -> { }, () -> false).tokens();
            String text = corpus.decode(HeapArrays.ints(tokens));
            BitsPerCharacter.Result bound = BitsPerCharacter.evaluate(net::logits, objective, WINDOWS, 1, BATCH, SEED);
            return new Preview(loaded.step(), text, bound.mean(), bound.windows(), length, recipe.sampler().cliName());
        }
    }

    private static synchronized TextCorpus corpus() throws IOException {
        if (shakespeare == null) shakespeare = TextCorpus.shakespeare();
        return shakespeare;
    }
}
