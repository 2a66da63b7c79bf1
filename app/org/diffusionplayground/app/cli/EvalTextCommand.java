package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.eval.BitsPerCharacter;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.objective.TextDiffusion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval-text}: a text model's masked-diffusion bound on the validation split in bits per
 * character ({@link BitsPerCharacter}), each Monte Carlo draw and their mean ± standard error; for
 * the left-to-right model its exact negative log-likelihood of the same windows, in one evaluation.
 */
@Command(name = "eval-text", mixinStandardHelpOptions = true,
        description = "Validation bits/char of a text model: the MDLM or SEDD bound, or the autoregressive model's exact likelihood.")
final class EvalTextCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "a run folder (its model.dpck: EMA weights) or a .dpck file")
    String model;

    @Option(names = "--data", description = "a UTF-8 text file (default: the bundled tiny Shakespeare)")
    Path data;

    @Option(names = "--draws", defaultValue = "8", description = "Monte Carlo draws of (t, mask) per window (default ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--windows", defaultValue = "0", description = "validation windows to use, 0 = all (default ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--batch", defaultValue = "16", description = "windows per forward pass (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "seeds t and the masks (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        Arguments.inRange("--draws", draws, 1, 10_000);
        Arguments.inRange("--windows", windows, 0, 1_000_000);
        Arguments.inRange("--batch", batch, 1, 4096);
        PrintWriter out = spec.commandLine().getOut();
        ModelLoader.Loaded loaded = ModelLoader.open(model, Architecture.TRANSFORMER);
        Transformer net = (Transformer) loaded.net();
        TextCorpus corpus = TextTraining.corpus(data);
        TextDiffusion objective = TextTraining.objective(net.config(), corpus);
        var parsed = spec.commandLine().getParseResult();
        if (objective.exact() && (parsed.hasMatchedOption("--draws") || parsed.hasMatchedOption("--seed"))) {
            throw new IllegalArgumentException("--draws and --seed do not apply to an autoregressive model: "
                    + "its likelihood is exact, with nothing to draw");
        }
        long start = System.nanoTime();
        BitsPerCharacter.Result r = BitsPerCharacter.evaluate(net::logits, objective, windows, draws, batch, seed);
        if (objective.exact()) {
            out.printf(Locale.ROOT, "%s (step %d): %d validation windows of %d characters%n", loaded.file(), loaded.step(),
                    r.windows(), net.config().length());
            out.printf(Locale.ROOT, "bits/char %.4f (exact negative log-likelihood, left to right), %.1f s%n", r.mean(),
                    (System.nanoTime() - start) / 1e9);
            return 0;
        }
        out.printf(Locale.ROOT, "%s (step %d): %d validation windows of %d characters, %d draws%n", loaded.file(), loaded.step(),
                r.windows(), net.config().length(), draws);
        for (int d = 0; d < r.perDraw().size(); d++) out.printf(Locale.ROOT, "  draw %d: %.4f bits/char%n", d + 1, r.perDraw().get(d));
        String error = draws > 1 ? String.format(Locale.ROOT, "± %.4f (standard error)", r.standardError()) : "(one draw: no standard error; use --draws ≥ 2)";
        out.printf(Locale.ROOT, "bits/char %.4f %s, %.1f s%n", r.mean(), error, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
