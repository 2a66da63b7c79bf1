package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.diffusionplayground.model.sampling.ChunkedRun;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.ClassChoice;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.ScheduleKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sample}: draw samples from a model with one sampler and write them as CSV, NPY or PNG. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = {
        "Draw samples with one sampler and write them to --out, by its extension:",
        "  .csv  2-D points: header 'x,y' (unless --no-header), one sample a row",
        "  .npy  float32: points [N, 2]; images [N, 28, 28] in [0, 1]",
        "  .png  images: a grid of ceil(sqrt(N)) columns, magnified --scale times",
        "  .txt  text models: the samples, separated by a line =====",
        "Text models (e.g. shakespeare-masked) take the text options below."})
final class SampleCommand implements Callable<Integer> {

    static final int MAX_N = 100_000, MAX_IMAGES = 10_000;
    /** Images per sampling chunk: bounds a network's activation memory at any --n. */
    static final int IMAGE_BATCH = 256;

    private final Function<String, ModelSource> models;

    SampleCommand() {
        this(ModelSource::parse);
    }

    /** With a custom resolver of {@code --model} values (tests hand over a fake denoiser). */
    SampleCommand(Function<String, ModelSource> models) {
        this.models = models;
    }

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SOURCE", description = {
            "oracle:<dataset>: the exact denoiser of ring8, gaussian, moons, spiral or checkerboard;",
            "DIR: a training run folder (its model.dpck, else its newest checkpoint); FILE.dpck;",
            "or a pretrained name, e.g. mnist-small = pretrained/mnist-small.dpck."})
    String model;

    @Option(names = "--sampler", paramLabel = "NAME", completionCandidates = SamplerNames.class,
            description = {"${COMPLETION-CANDIDATES} (default ddim);",
                    "text: ancestral or planned (masked models; default ancestral), tweedie or euler (uniform; default tweedie),",
                    "autoregressive (the left-to-right model's only one)."})
    String sampler;

    @Option(names = "--steps", description = "Sampling steps, 1..T (default 50; text: 128; autoregressive: one per character written, not an option).")
    Integer steps;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM stochasticity η in [0, 1] (default ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--order", description = {"DPM-Solver order 1-3 (default 2);",
            "text: the reveal order random, confidence, margin or entropy (implies --sampler planned unless random)."})
    String order;

    @Mixin TextSampling.Options text = new TextSampling.Options();

    @Option(names = "--large-variance", description = "DDPM: σ² = β instead of the posterior β̃.")
    boolean largeVariance;

    @Option(names = "--clip-x0", defaultValue = "none", paramLabel = "MODE",
            description = "keep the model's x̂0 in [-1, 1]: none, static (clip) or dynamic (Imagen's 99.5%% thresholding); default ${DEFAULT-VALUE}")
    String clipX0;

    @Option(names = "--spacing", description = "linear, leading, trailing or logsnr (default logsnr, and trailing, "
            + "uniform in t, for --process flow; linear is poor for dpm-solver++ at few steps).")
    String spacing;

    @Option(names = "--process", paramLabel = "diffusion|flow", description = {
            "Oracles only: diffusion (the exact ε on --schedule; the default) or flow (the exact velocity",
            "u = ε − x0 on the linear interpolant, e.g. with --sampler euler, midpoint or rk4). A network uses its own."})
    String process;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Oracles only: ddpm, cosine, cosine-logsnr or vp (default ddpm). A network uses its own.")
    String schedule;

    @Option(names = "--class", paramLabel = "K|none|each", description = {
            "K: condition on class K (a digit; for an oracle mixture component K, K = #components = all);",
            "none: unconditional (the null class); each: sample i gets class i mod #classes.",
            "Default: each for class-conditional image models, none otherwise."})
    String classLabel;

    @Option(names = "--guidance", paramLabel = "W", description = {
            "Classifier-free guidance weight w in [0, 50]: 1 = the plain conditional model, 0 = unconditional,",
            "> 1 = pushed towards the class. Default 3 for image models, 1 for oracles."})
    Double guidance;

    @Option(names = "--n", description = "Number of samples (default 1000 points, max 100000; 16 images, max 10000).")
    Integer n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of all randomness (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: .csv, .npy or .png (see above).")
    Path out;

    @Option(names = "--scale", defaultValue = "3", description = "PNG: pixels per image pixel, 1..8 (default ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--no-header", description = "CSV: omit the 'x,y' header line.")
    boolean noHeader;

    /** The registered samplers' CLI names, for help and shell completion. */
    static final class SamplerNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(org.diffusionplayground.model.sampling.solvers.SamplerKind.values())
                    .map(org.diffusionplayground.model.sampling.solvers.SamplerKind::cliName).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        ModelSource source = models.apply(model);
        if (source instanceof ModelSource.Network net) {
            var loaded = TextSampling.openIfText(net);
            if (loaded != null) {
                return TextSampling.run(loaded, text, sampler, steps, order, n == null ? 4 : n, seed, out,
                        spec.commandLine().getOut());
            }
        }
        text.refuseForImages();
        int steps = this.steps == null ? 50 : this.steps;
        String sampler = this.sampler == null ? "ddim" : this.sampler;
        int order;
        try {
            order = this.order == null ? 2 : Integer.parseInt(this.order.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--order ('%s') must be a DPM-Solver order 1-3 for this model".formatted(this.order));
        }
        boolean images = source.isImage();
        ScheduleKind scheduleKind = schedule == null ? null : Arguments.schedule(schedule);
        var kind = Arguments.sampler("--sampler", sampler);
        PathFamily family = process == null ? PathFamily.DIFFUSION : Arguments.process(process);
        if (process != null && !(source instanceof ModelSource.Oracle)) throw new IllegalArgumentException(
                "--process applies to oracles; model '%s' samples on the path it was trained on".formatted(model));
        var spacingKind = spacing == null ? family.defaultSpacing() : Arguments.spacing(spacing);
        Arguments.inRange("--eta", eta, 0, 1);
        Arguments.inRange("--order", order, 1, 3);
        X0Clip clip;
        try {
            clip = X0Clip.parse(clipX0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--clip-x0 ('%s') must be one of none, static, dynamic".formatted(clipX0), e);
        }
        if (clip != X0Clip.NONE && !images) throw new IllegalArgumentException(
                "--clip-x0 (%s) is for image models, whose data lies in [-1, 1]; '%s' is 2-D data that does not"
                        .formatted(clip.cliName(), model));
        int count = n != null ? n : images ? 16 : 1000;
        Arguments.inRange("--n", count, 1, images ? MAX_IMAGES : MAX_N);
        Arguments.inRange("--scale", scale, 1, 8);
        SampleFiles format = SampleFiles.of(out, images);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out ('%s'): directory %s does not exist".formatted(out, parent));
        }
        if (guidance != null) Arguments.inRange("--guidance", guidance, 0, 50);

        long loadStart = System.nanoTime();
        Denoiser denoiser = source instanceof ModelSource.Oracle oracle ? oracle.open(scheduleKind, family) : source.open(scheduleKind);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        Arguments.inRange("--steps", steps, 1, denoiser.schedule().steps());
        int[] labels = labels(denoiser, images, count);
        double w = guidance != null ? guidance : images && labels != null ? 3 : 1;
        if (w != 1 && denoiser.nullClass() < 0) {
            throw new IllegalArgumentException("--guidance (%s): model '%s' has no null class, so it cannot be guided; use 1"
                    .formatted(w, model));
        }
        var recipe = new SamplerRun(kind, new SamplerOptions(eta, order, largeVariance), spacingKind, steps, w, clip);
        ChunkedRun.Result result;
        try (Threads limit = Threads.limit(source.singleThreaded() ? 1 : Integer.MAX_VALUE)) {
            result = ChunkedRun.run(recipe, denoiser, labels, count, source.sampleShape(), images ? IMAGE_BATCH : count,
                    seed, () -> false);
        }
        format.write(result.x(), out, scale, !noHeader);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote %d samples to %s (%s, %d %s-spaced steps on %s, %s, NFE %d, %.2f s sampling, %.2f s loading)%n",
                count, out, kind.cliName(), steps, spacingKind.name().toLowerCase(Locale.ROOT), denoiser.schedule(),
                describe(labels, denoiser.numClasses(), w), result.nfe(), result.seconds(), loadSeconds);
        return 0;
    }

    /** The label of each sample from --class, or null for unconditional. */
    private int[] labels(Denoiser denoiser, boolean images, int count) {
        String value = classLabel == null ? (images && denoiser.numClasses() > 0 ? "each" : "none")
                : classLabel.trim().toLowerCase(Locale.ROOT);
        if (value.equals("none")) return null;
        if (denoiser.numClasses() == 0) {
            throw new IllegalArgumentException("--class ('%s'): model '%s' is unconditional; leave --class out".formatted(classLabel, model));
        }
        if (value.equals("each")) return ClassChoice.labels(ClassChoice.EACH, count, denoiser.numClasses());
        int k;
        try {
            k = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--class ('%s') must be a class number, none or each".formatted(classLabel));
        }
        Arguments.inRange("--class", k, 0, Math.max(denoiser.nullClass(), denoiser.numClasses() - 1));
        return ClassChoice.labels(k, count, denoiser.numClasses());
    }

    private static String describe(int[] labels, int classes, double w) {
        if (labels == null) return "unconditional";
        return (labels.length > 1 && labels[0] != labels[1] ? "classes i mod " + classes : "class " + labels[0])
                + (w == 1 ? ", no guidance" : ", guidance " + w);
    }
}
