package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.objective.TextDiffusion;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * The text side of {@code train}: a character corpus (tiny Shakespeare, or a UTF-8 file), the
 * DDiT preset sized to its vocabulary, and the objective of its forward process — masked
 * diffusion (MDLM) for "absorbing", score-entropy diffusion (SEDD) for "uniform" — or, for
 * "autoregressive", the left-to-right baseline of the same size trained for −log p by the same engine.
 */
final class TextTraining {

    static final String SHAKESPEARE = "shakespeare";

    private TextTraining() {
    }

    static boolean isText(String dataset) {
        return SHAKESPEARE.equals(dataset.toLowerCase(Locale.ROOT));
    }

    /** The corpus: the shipped tiny Shakespeare, or {@code file} when given. */
    static TextCorpus corpus(Path file) throws IOException {
        return file == null ? TextCorpus.shakespeare() : TextCorpus.fromFile(file);
    }

    /** The DDiT preset {@code model} for {@code corpus} under {@code process}. */
    static TransformerConfig network(String model, String process, TextCorpus corpus) {
        String p = process == null ? TransformerConfig.ABSORBING : process.toLowerCase(Locale.ROOT);
        if (!TransformerConfig.PROCESSES.contains(p)) throw new IllegalArgumentException(
                "--process must be absorbing, uniform or autoregressive, got " + process);
        try {
            return TransformerConfig.preset(model, corpus.vocabularySize()).forProcess(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage());
        }
    }

    /** The objective a text network of {@code model} trains with (a checkpoint's config when resuming). */
    static TextDiffusion objective(NetworkConfig model, TextCorpus corpus) {
        return TextDiffusion.of(model, corpus);
    }

    /** Text defaults: no label dropout, no min-SNR; the warm-up as for images. */
    static TrainConfig train(int steps, int batch, double lr, int checkpointEvery, long seed) {
        return new TrainConfig(steps, batch, lr, Math.min(200, steps / 10), 0.0, 0.999, 0.0, 0.0, checkpointEvery, 1.0, seed);
    }
}
