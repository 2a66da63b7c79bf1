package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.nn.HeapArrays;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.sampling.tokens.Clamp;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.diffusionplayground.model.sampling.tokens.TokenFamily;
import org.diffusionplayground.model.sampling.tokens.TokenFilter;
import org.diffusionplayground.model.sampling.tokens.TokenModel;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import org.diffusionplayground.model.sampling.tokens.TokenSamplingLoop;
import picocli.CommandLine.Option;

/**
 * The text side of {@code sample}: a text model's checkpoint, its character set (the bundled
 * Shakespeare or {@code --data}), a {@link TokenRun} built from the options, an optional prompt
 * or template clamped in place, and the samples written as text separated by lines "=====". A
 * left-to-right (autoregressive) model writes one character a step, so its steps are not an
 * option: they are the characters it writes, the free positions of the first {@code --length}.
 */
final class TextSampling {

    static final String SEPARATOR = "=====";
    static final int MAX_N = 1000, CHUNK = 16, DEFAULT_STEPS = 128;

    private TextSampling() {
    }

    /** The options only text models take. */
    static final class Options {
        @Option(names = "--length", description = "Text: characters per sample, 1..the model's context (default: the context, 256).")
        Integer length;
        @Option(names = "--temperature", defaultValue = "1", description = "Text (masked, autoregressive): softmax temperature, 0 = greedy (default ${DEFAULT-VALUE}).")
        double temperature;
        @Option(names = "--top-k", defaultValue = "0", description = "Text (masked, autoregressive): keep the k most likely characters, 0 = all (default ${DEFAULT-VALUE}).")
        int topK;
        @Option(names = "--top-p", description = "Text (masked, autoregressive): nucleus mass p in (0, 1], 1 = no cut (default "
                + TokenFilter.DEFAULT_TOP_P + ").")
        Double topP;
        @Option(names = "--threshold", defaultValue = "0", description = "Text (planned): reveal every position this confident, at least one a step; 0 = by the schedule.")
        double threshold;
        @Option(names = "--block", defaultValue = "0", description = "Text (planned): semi-autoregressive block length, 0 = none.")
        int block;
        @Option(names = "--remask", defaultValue = "0", description = "Text (ancestral): ReMDM remasking cap eta in [0, 1], 0 = none.")
        double remask;
        @Option(names = "--no-cache", description = "Text: evaluate the network even when a step changed nothing.")
        boolean noCache;
        @Option(names = "--prompt", description = "Text: the sample's beginning, kept as given.")
        String prompt;
        @Option(names = "--template", description = "Text: the whole sample with '_' where characters are generated; the rest is kept "
                + "(autoregressive: blanks filled left to right, each seeing only what is left of it).")
        String template;
        @Option(names = "--data", description = "Text: the model's training text, for its characters (default: the bundled tiny Shakespeare).")
        Path data;

        /** Refuses text options on a model that is not a text model. */
        void refuseForImages() {
            List<String> given = new ArrayList<>();
            if (length != null) given.add("--length");
            if (temperature != 1) given.add("--temperature");
            if (topK != 0) given.add("--top-k");
            if (topP != null) given.add("--top-p");
            if (threshold != 0) given.add("--threshold");
            if (block != 0) given.add("--block");
            if (remask != 0) given.add("--remask");
            if (noCache) given.add("--no-cache");
            if (prompt != null) given.add("--prompt");
            if (template != null) given.add("--template");
            if (data != null) given.add("--data");
            if (!given.isEmpty()) throw new IllegalArgumentException(
                    "%s appl%s to text models only".formatted(String.join(", ", given), given.size() == 1 ? "ies" : "y"));
        }
    }

    /** The checkpoint of {@code source} if it holds a text model, else null. */
    static ModelLoader.Loaded openIfText(ModelSource.Network source) {
        ModelLoader.Loaded loaded = source.load();
        return loaded.net() instanceof TokenModel ? loaded : null;
    }

    /** @param steps --steps, or null for the default (128; an autoregressive model's characters to write) */
    static int run(ModelLoader.Loaded loaded, Options o, String samplerName, Integer steps, String orderName, int n, long seed,
                   Path out, PrintWriter console) throws IOException {
        TokenModel model = loaded.tokenModel();
        TokenFamily family = TokenFamily.of(model);
        TransformerConfig config = (TransformerConfig) loaded.net().config();
        TextCorpus corpus = TextTraining.corpus(o.data);
        if (corpus.vocabularySize() != config.vocab()) throw new IllegalArgumentException(
                "the model has %d characters, %s %d: pass the text it was trained on with --data".formatted(
                        config.vocab(), corpus.name(), corpus.vocabularySize()));
        Arguments.inRange("--n", n, 1, MAX_N);
        if (o.prompt != null && o.template != null) throw new IllegalArgumentException("give --prompt or --template, not both");
        int context = config.length();
        int length = o.template != null ? o.template.length() : o.length == null ? context : o.length;
        if (o.template != null && o.length != null && o.length != length) throw new IllegalArgumentException(
                "--length (%d) differs from the template's %d characters".formatted(o.length, length));
        Arguments.inRange(o.template != null ? "the template's length" : "--length", length, 1, context);
        Clamp clamp = clamp(corpus, o, length, context);
        if (family == TokenFamily.AUTOREGRESSIVE && steps != null) throw new IllegalArgumentException(
                "--steps does not apply to an autoregressive model: it writes one character a step, so it takes one step per "
                        + "character generated (--length, less the --prompt or the template's given characters)");
        int stepCount = family == TokenFamily.AUTOREGRESSIVE ? Math.max(1, free(clamp, length)) : steps == null ? DEFAULT_STEPS : steps;
        Arguments.inRange("--steps", stepCount, 1, 100_000);
        TokenRun recipe = recipe(family, o, samplerName, stepCount, orderName);
        if (out.getFileName() == null || !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) {
            throw new IllegalArgumentException("--out ('%s') must be a .txt file for a text model".formatted(out));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new IllegalArgumentException(
                "--out ('%s'): directory %s does not exist".formatted(out, parent));

        long start = System.nanoTime();
        List<String> samples = new ArrayList<>();
        int nfe = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int b = Math.min(CHUNK, n - from);
            TokenSamplingLoop.Result r = recipe.run(model, clamp, b, seed + from, e -> { }, () -> false);
            nfe += r.nfe();
            int[] z = HeapArrays.ints(r.tokens());
            for (int row = 0; row < b; row++) samples.add(corpus.decode(Arrays.copyOfRange(z, row * context, row * context + length)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        Files.writeString(tmp, String.join("\n" + SEPARATOR + "\n", samples) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        console.printf(Locale.ROOT, "wrote %d samples of %d characters to %s (%s model, step %d; %s, %d steps, NFE %d, %.2f s)%n",
                n, length, out, family.label(), loaded.step(), describe(recipe), recipe.stepsFor(clamp), nfe, seconds);
        return 0;
    }

    /** The free positions among the first {@code length}: what a left-to-right model writes before the cut. */
    private static int free(Clamp clamp, int length) {
        int count = 0;
        for (int i = 0; i < length; i++) if (clamp.fixed()[i] < 0) count++;
        return count;
    }

    /** The positions given by --prompt or --template (the rest of the context is generated and cut). */
    private static Clamp clamp(TextCorpus corpus, Options o, int length, int context) {
        if (o.template != null) {
            int[] fixed = Clamp.none(context).fixed();
            for (int i = 0; i < o.template.length(); i++) {
                char c = o.template.charAt(i);
                if (c != '_') fixed[i] = encode(corpus, String.valueOf(c), "--template")[0];
            }
            return new Clamp(fixed);
        }
        if (o.prompt != null) {
            if (o.prompt.length() > length) throw new IllegalArgumentException(
                    "--prompt (%d characters) is longer than --length (%d)".formatted(o.prompt.length(), length));
            return Clamp.prompt(encode(corpus, o.prompt, "--prompt"), context);
        }
        return Clamp.none(context);
    }

    private static int[] encode(TextCorpus corpus, String text, String option) {
        try {
            return corpus.encode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** The run the options describe; the sampler defaults by the model's family and the options given. */
    static TokenRun recipe(TokenFamily family, Options o, String samplerName, int steps, String orderName) {
        RevealOrder order = orderName == null ? RevealOrder.RANDOM : parse(() -> RevealOrder.parse(orderName.trim()), "--order");
        boolean planned = order != RevealOrder.RANDOM || o.threshold > 0 || o.block > 0;
        TokenRun.Kind kind = samplerName != null ? parse(() -> TokenRun.Kind.parse(samplerName.trim()), "--sampler")
                : family == TokenFamily.MASKED && planned ? TokenRun.Kind.PLANNED : TokenRun.Kind.defaultFor(family);
        if (kind.family != family) throw new IllegalArgumentException("--sampler %s is for %s models; this one is %s (use %s)".formatted(
                kind.cliName(), kind.family.label(), family.label(), TokenRun.Kind.namesFor(family)));
        if (planned && kind != TokenRun.Kind.PLANNED) throw new IllegalArgumentException(
                "--order, --threshold and --block apply to --sampler planned");
        if (o.remask != 0 && kind != TokenRun.Kind.ANCESTRAL) throw new IllegalArgumentException("--remask applies to --sampler ancestral");
        boolean filtered = o.temperature != 1 || o.topK != 0 || o.topP != null;
        if (filtered && family == TokenFamily.UNIFORM) throw new IllegalArgumentException(
                "--temperature, --top-k and --top-p apply to masked and autoregressive models");
        Arguments.inRange("--remask", o.remask, 0, 1);
        Arguments.inRange("--threshold", o.threshold, 0, 1);
        Arguments.inRange("--block", o.block, 0, 100_000);
        TokenFilter filter = family == TokenFamily.UNIFORM ? TokenFilter.none() : parse(() -> new TokenFilter(o.temperature, o.topK,
                o.topP != null ? o.topP : TokenFilter.DEFAULT_TOP_P), "--temperature/--top-k/--top-p");
        // the cache skips steps that changed nothing; every left-to-right step writes a character
        return new TokenRun(kind, steps, filter, order, o.threshold, o.block, o.remask, !o.noCache && kind != TokenRun.Kind.AUTOREGRESSIVE);
    }

    private static String describe(TokenRun r) {
        StringBuilder s = new StringBuilder(r.sampler().cliName());
        if (r.sampler() == TokenRun.Kind.PLANNED) s.append(" ").append(r.order().name().toLowerCase(Locale.ROOT)).append(" order");
        if (r.threshold() > 0) s.append(", threshold ").append(r.threshold());
        if (r.block() > 0) s.append(", blocks of ").append(r.block());
        if (r.remask() > 0) s.append(", remask η ").append(r.remask());
        if (!r.filter().equals(TokenFilter.none())) s.append(", ").append(r.filter().describe());
        return s.append(r.cache() ? ", cache" : "").toString();
    }

    private static <T> T parse(java.util.function.Supplier<T> parse, String option) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
