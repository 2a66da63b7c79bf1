package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.nn.HeapArrays;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.eval.BitsPerCharacter;
import org.diffusionplayground.model.eval.TextQuality;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.tokens.Clamp;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenFilter;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import org.diffusionplayground.model.sampling.tokens.TokenSamplingLoop;

/**
 * {@code bench quality} for a text model: validation bits/char, then for each sampler × steps
 * cell, {@code n} samples of the model's context length and their {@link TextQuality} (real words,
 * varied bigrams, longest copy) with NFE and seconds; the same measures of n real validation
 * windows first, as the floor to read the cells against. A left-to-right (autoregressive) model
 * has one cell: its own sampler, one step per character of the context; its validation figure is
 * its exact likelihood rather than a bound.
 */
final class TextQualityBench {

    private TextQualityBench() {
    }

    /** The suffix of the app's default filter, {@link TokenFilter#defaults()}. */
    static final String DEFAULT_FILTER = "/p=" + TokenFilter.DEFAULT_TOP_P;

    /** The steps of each cell when --steps is not given (diffusion models). */
    static final List<Integer> DEFAULT_STEPS = List.of(64, 128);

    /**
     * A cell's sampler: "ancestral", "ancestral:remask=η", "planned:ORDER", "tweedie", "euler" or
     * "autoregressive", optionally followed by its filter, e.g. "ancestral/t=0.8/p=0.9" (temperature,
     * top-k, top-p; masked and autoregressive samplers only).
     */
    static TokenRun recipe(String spec, int steps) {
        String[] filterParts = spec.trim().split("/");
        TokenFilter filter = filter(spec, Arrays.copyOfRange(filterParts, 1, filterParts.length));
        String[] parts = filterParts[0].split(":", 2);
        TokenRun.Kind kind = TokenRun.Kind.parse(parts[0]);
        RevealOrder order = RevealOrder.RANDOM;
        double remask = 0;
        if (parts.length == 2) {
            if (kind == TokenRun.Kind.PLANNED) order = RevealOrder.parse(parts[1]);
            else if (kind == TokenRun.Kind.ANCESTRAL && parts[1].startsWith("remask=")) remask = Double.parseDouble(parts[1].substring(7));
            else throw new IllegalArgumentException("'%s': only planned:ORDER and ancestral:remask=η take a suffix".formatted(spec));
        }
        if (!filter.equals(TokenFilter.none()) && kind.family == TokenFamily.UNIFORM) throw new IllegalArgumentException(
                "'%s': the uniform samplers take no temperature, top-k or top-p".formatted(spec));
        return new TokenRun(kind, steps, filter, order, 0, 0, remask, kind != TokenRun.Kind.AUTOREGRESSIVE);
    }

    /** The filter of "t=τ", "k=K", "p=P" parts (any subset, any order). */
    private static TokenFilter filter(String spec, String[] parts) {
        double t = 1, p = 1;
        int k = 0;
        for (String part : parts) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("'%s': a filter reads t=τ, k=K or p=P".formatted(spec));
            try {
                switch (kv[0]) {
                    case "t" -> t = Double.parseDouble(kv[1]);
                    case "k" -> k = Integer.parseInt(kv[1]);
                    case "p" -> p = Double.parseDouble(kv[1]);
                    default -> throw new IllegalArgumentException("'%s': a filter reads t=τ, k=K or p=P".formatted(spec));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'%s': '%s' is not a number".formatted(spec, kv[1]), e);
            }
        }
        return new TokenFilter(t, k, p);
    }

    /** @param steps each cell's steps, or null for the default ({@link #DEFAULT_STEPS}; autoregressive: the context) */
    static int run(ModelLoader.Loaded loaded, String samplers, List<Integer> steps, int n, int bpcDraws, long seed, PrintWriter out)
            throws IOException {
        Transformer net = (Transformer) loaded.net();
        TokenFamily family = TokenFamily.of(net);
        TextCorpus corpus = TextCorpus.shakespeare();
        if (corpus.vocabularySize() != net.config().vocab()) throw new IllegalArgumentException(
                "the model has %d characters, tiny Shakespeare %d".formatted(net.config().vocab(), corpus.vocabularySize()));
        int l = net.config().length();
        if (family == TokenFamily.AUTOREGRESSIVE && steps != null) throw new IllegalArgumentException(
                "--steps does not apply to an autoregressive model: it writes its %d characters in %d steps".formatted(l, l));
        if (steps == null) steps = family == TokenFamily.AUTOREGRESSIVE ? List.of(l) : DEFAULT_STEPS;
        List<String> specs = samplers != null ? Arrays.asList(samplers.split(",")) : switch (family) {
            // the app's and the CLI's default first (TokenFilter.defaults()), then the model's own distribution
            case MASKED -> List.of("ancestral" + DEFAULT_FILTER, "ancestral", "planned:confidence", "planned:margin", "planned:entropy");
            case UNIFORM -> List.of("tweedie", "euler");
            case AUTOREGRESSIVE -> List.of("autoregressive" + DEFAULT_FILTER, "autoregressive");
        };
        List<TokenRun> check = new ArrayList<>();
        for (String s : specs) {
            try {
                check.add(recipe(s, 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--samplers: " + e.getMessage(), e);
            }
            if (check.get(check.size() - 1).sampler().family != family) throw new IllegalArgumentException(
                    "--samplers: %s is not a sampler for this %s model".formatted(s, family.label()));
        }
        String training = corpus.decode(window(corpus, 0, corpus.trainLength(), true));
        out.printf(Locale.ROOT, "%s (step %d), %s model, %d samples of %d characters per cell%n", loaded.file(), loaded.step(),
                family.label(), n, l);
        if (bpcDraws > 0) {
            var objective = TextTraining.objective(net.config(), corpus);
            var r = BitsPerCharacter.evaluate(net::logits, objective, 0, bpcDraws, 16, seed);
            if (objective.exact()) out.printf(Locale.ROOT, "validation likelihood: %.3f bits/char (exact, %d windows)%n", r.mean(), r.windows());
            else out.printf(Locale.ROOT, "validation bound: %.3f ± %.3f bits/char (%d windows, %d draws)%n", r.mean(), r.standardError(),
                    r.windows(), bpcDraws);
        }
        List<String> real = new ArrayList<>();
        Noise pick = new Noise(seed);
        for (int i = 0; i < n; i++) real.add(corpus.decode(window(corpus, pick.nextInt(corpus.validationStarts(l)), l, false)));
        out.printf(Locale.ROOT, "%-22s %6s %5s %8s %11s %13s %8s%n", "sampler", "steps", "NFE", "seconds", "real words", "distinct 2-gr",
                "longest copy");
        print(out, "real text (validation)", "-", "-", "-", TextQuality.of(real, training));
        for (String spec : specs) {
            for (int s : steps) {
                TokenRun run = recipe(spec, s);
                long start = System.nanoTime();
                List<String> samples = new ArrayList<>();
                int nfe = 0;
                for (int from = 0; from < n; from += TextSampling.CHUNK) {
                    int b = Math.min(TextSampling.CHUNK, n - from);
                    TokenSamplingLoop.Result r = run.run(net, Clamp.none(l), b, seed + from, e -> { }, () -> false);
                    nfe = r.nfe();
                    int[] z = HeapArrays.ints(r.tokens());
                    for (int row = 0; row < b; row++) samples.add(corpus.decode(Arrays.copyOfRange(z, row * l, (row + 1) * l)));
                }
                print(out, spec, String.valueOf(s), String.valueOf(nfe), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
                        TextQuality.of(samples, training));
                out.flush();
            }
        }
        out.println("real words: share of generated words found in the training text; distinct 2-gr: distinct word bigrams ÷ bigrams"
                + " per sample; longest copy: longest stretch (characters) also in the training text; NFE of the last chunk");
        return 0;
    }

    private static void print(PrintWriter out, String name, String steps, String nfe, String seconds, TextQuality q) {
        out.printf(Locale.ROOT, "%-22s %6s %5s %8s %10.1f%% %13.2f %8d%n", name, steps, nfe, seconds, 100 * q.realWordShare(),
                q.distinctBigrams(), q.longestCopy());
    }

    private static int[] window(TextCorpus corpus, int start, int length, boolean train) {
        int[] ids = new int[length];
        if (train) corpus.trainWindow(start, length, ids, 0);
        else corpus.validationWindow(start, length, ids, 0);
        return ids;
    }
}
