package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.app.text.TextNetwork;
import org.diffusionplayground.app.text.TextNetworks;
import org.diffusionplayground.app.text.TextRecording;
import org.diffusionplayground.app.text.TextRun;
import org.diffusionplayground.model.bench.NetworkBenchmark;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench text-page}: the Text page's reverse run as the app makes it — the job body
 * ({@link TextRun#run}) with the page's default settings, recording every step — timed from the
 * start of the job to its first recorded step (what the page shows first) and to its end. The
 * first run is the app's first (a cold JVM); the medians are of the runs after it, each from its
 * own seed as "New seed" makes.
 */
@Command(name = "text-page", mixinStandardHelpOptions = true, description = {
        "The Text page's reverse run as the app makes it (the default sampler and settings, every step recorded): the time to its "
                + "first step and to its end, the first (cold) run and the median of the others."})
final class BenchTextPageCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--model", description = "A text model: .dpck file or run folder (default: the shipped " + TextNetworks.MASKED_FILE + ").")
    Path model;

    @Option(names = "--steps", defaultValue = "64", description = "Reverse steps, 1..1000 (default ${DEFAULT-VALUE}; left to right: one per character).")
    int steps;

    @Option(names = "--length", defaultValue = "256", description = "Characters written, 1..the model's context (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--runs", defaultValue = "8", description = "Runs, 2..100 (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        Arguments.inRange("--steps", steps, 1, 1000);
        Arguments.inRange("--runs", runs, 2, 100);
        PrintWriter out = spec.commandLine().getOut();
        TextNetworks files = TextNetworks.files();
        TextNetwork net = model != null ? files.open(model) : files.shipped(TokenFamily.MASKED).orElseThrow(() -> new IllegalArgumentException(
                "no shipped " + TextNetworks.MASKED_FILE + " in pretrained/: give --model"));
        Arguments.inRange("--length", length, 1, net.context());
        TokenFamily family = TokenFamily.of(net.model());
        TokenRun recipe = TokenRun.defaults(family, family == TokenFamily.AUTOREGRESSIVE ? length : steps);
        int[] fixed = new TextRun.Settings(recipe, 0, length, TextRun.Given.NONE, "").fixed(TextCorpus.shakespeare(), net.context());
        out.printf(Locale.ROOT, "%s, %s model: %d characters, %s %d steps (%s), %d runs%n", net.name(), family.label(), length,
                recipe.sampler().cliName(), recipe.steps(), recipe.filter().describe(), runs);
        double[] first = new double[runs], end = new double[runs];
        int nfe = 0;
        for (int i = 0; i < runs; i++) {
            TextRun.Settings s = new TextRun.Settings(recipe, i, length, TextRun.Given.NONE, "");
            TextRecording rec = new TextRecording(recipe.steps(), length, net.model().maskToken());
            long start = System.nanoTime();
            long[] firstStep = {0};
            TextRun.run(s, net, fixed, rec, fraction -> {
                if (fraction > 0 && firstStep[0] == 0) firstStep[0] = System.nanoTime();
            }, () -> false);
            long done = System.nanoTime();
            first[i] = (firstStep[0] - start) / 1e9;
            end[i] = (done - start) / 1e9;
            nfe = rec.nfe(rec.frames() - 1);
            out.printf(Locale.ROOT, "run %d%s: first step %.3f s, done %.3f s, NFE %d%n", i + 1, i == 0 ? " (cold)" : "", first[i], end[i], nfe);
            out.flush();
        }
        out.printf(Locale.ROOT, "median of runs 2-%d: first step %.3f s, done %.3f s (NFE %d)%n", runs,
                NetworkBenchmark.median(Arrays.copyOfRange(first, 1, runs)), NetworkBenchmark.median(Arrays.copyOfRange(end, 1, runs)), nfe);
        return 0;
    }
}
