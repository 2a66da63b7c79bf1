package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.diffusionplayground.model.eval.QualityBenchmark;
import org.diffusionplayground.model.eval.QualityBenchmark.Config;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.eval.MnistClassifier;
import org.diffusionplayground.model.checkpoint.Pretrained;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.runtime.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench quality}: sampler × steps × guidance on an MNIST model → FID-lite, accuracy, NFE, time. */
@Command(name = "quality", mixinStandardHelpOptions = true, description = {
        "Sampler x steps x guidance on a class-conditional MNIST model. Per cell:",
        "NFE; FID-lite, the Frechet distance of the shipped classifier's",
        "penultimate features between N generated digits (classes balanced) and",
        "N real held-out digits (8000-8999 of the bundled set); the classifier's",
        "accuracy on the generated digits against the requested class; sampling",
        "time. The floor line scores N other real digits the same way."})
final class BenchQualityCommand implements Callable<Integer> {

    static final String CLASSIFIER_FILE = "mnist-classifier.sd";

    private final Function<String, ModelSource> models;

    BenchQualityCommand() {
        this(ModelSource::parse);
    }

    BenchQualityCommand(Function<String, ModelSource> models) {
        this.models = models;
    }

    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "SOURCE", description = "Run folder, .dpck file or pretrained name "
            + "(default: the shipped " + ModelLoader.DEFAULT_PRETRAINED + ", if present).")
    String model;

    @Option(names = "--classifier", paramLabel = "FILE", description = "Classifier weights (default: pretrained/" + CLASSIFIER_FILE + ").")
    Path classifier;

    @Option(names = "--samplers", paramLabel = "A,B,..", completionCandidates = SampleCommand.SamplerNames.class,
            description = "Samplers, from ${COMPLETION-CANDIDATES} (default ddim,dpm-solver++,heun,ddpm). Text: ancestral, "
                    + "ancestral:remask=η, planned:ORDER, tweedie, euler, each optionally with a filter, e.g. ancestral/t=0.8/p=0.9.")
    String samplers;

    @Option(names = "--steps", paramLabel = "N,M,..", defaultValue = "10,20,50", description = "Step counts (default ${DEFAULT-VALUE}; text: 64,128; autoregressive: the context, not an option).")
    String steps;

    @Option(names = "--guidance", paramLabel = "W,V,..", defaultValue = "1,3",
            description = "Guidance weights in [0, 50]; 1 = plain conditional (default ${DEFAULT-VALUE}).")
    String guidance;

    @Option(names = "--spacing", defaultValue = "logsnr", description = "Spacing for every cell (default ${DEFAULT-VALUE}).")
    String spacing;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM η in [0, 1] (default ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--order", defaultValue = "2", description = "DPM-Solver order 1-3 (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--n", defaultValue = "200", description = "Digits per cell and per real set, 20..500 (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--batch", defaultValue = "100", description = "Digits per sampling batch, 1..1024 (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bpc-draws", defaultValue = "4", description = "Text models: Monte Carlo draws of the validation bound, 0 skips it (default ${DEFAULT-VALUE}).")
    int bpcDraws;

    @Override
    public Integer call() throws IOException {
        if (model != null) {
            ModelSource source = models.apply(model); // the injected source (tests give fakes), as below
            if (source instanceof ModelSource.Network net) {
                var loaded = TextSampling.openIfText(net);
                if (loaded != null) {
                    var parsed = spec.commandLine().getParseResult();
                    int count = parsed.hasMatchedOption("--n") ? n : 20;
                    Arguments.inRange("--n", count, 1, 1000);
                    Arguments.inRange("--bpc-draws", bpcDraws, 0, 1000);
                    List<Integer> stepList = parsed.hasMatchedOption("--steps") ? Arguments.intList("--steps", steps, 1, 100_000) : null;
                    return TextQualityBench.run(loaded, samplers, stepList, count, bpcDraws, seed, spec.commandLine().getOut());
                }
            }
        }
        List<SamplerKind> kinds = samplers == null ? QualityBenchmark.DEFAULT_SAMPLERS
                : Arrays.stream(samplers.split(",")).map(s -> Arguments.sampler("--samplers", s)).toList();
        List<Integer> stepList = Arguments.intList("--steps", steps, 1, 1000);
        List<Double> weights = doubleList("--guidance", guidance, 0, 50);
        Arguments.inRange("--eta", eta, 0, 1);
        Arguments.inRange("--order", order, 1, 3);
        Arguments.inRange("--n", n, 2 * QualityBenchmark.CLASSES, QualityBenchmark.MAX_N);
        Arguments.inRange("--batch", batch, 1, 1024);
        Config config = new Config(QualityBenchmark.grid(kinds, stepList, weights), Arguments.spacing(spacing),
                new SamplerOptions(eta, order, false), n, batch, seed);

        String modelName = model != null ? model : defaultModel(ModelLoader.DEFAULT_PRETRAINED);
        ModelSource source = models.apply(modelName);
        if (!source.isImage()) {
            throw new IllegalArgumentException("--model ('%s'): bench quality needs an MNIST image model".formatted(modelName));
        }
        MnistClassifier judge = loadClassifier();
        Denoiser denoiser = source.open(null);
        Arguments.inRange("--steps", stepList.stream().mapToInt(Integer::intValue).max().orElseThrow(), 1, denoiser.schedule().steps());
        MnistDataset data = MnistDataset.bundled();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s, %s spacing, %d generated digits (classes balanced) vs %d real held-out digits per cell%n",
                modelName, config.spacing().name().toLowerCase(Locale.ROOT), n, n);
        long start = System.nanoTime();
        try (Threads single = Threads.limit(1)) { // see ModelSource.Network#singleThreaded
            QualityBenchmark.run(denoiser, judge, data, config, new QualityBenchmark.Listener() {
                @Override public void onFloor(QualityBenchmark.Floor f) {
                    out.printf(Locale.ROOT, "floor: real vs real FID-lite %.3f; classifier accuracy on the real digits %.3f%n",
                            f.fidLite(), f.accuracy());
                    out.printf("%-14s %6s %9s %5s %10s %9s %9s%n", "sampler", "steps", "guidance", "NFE", "FID-lite", "accuracy", "time (s)");
                    out.flush();
                }

                @Override public void onRow(QualityBenchmark.Row r) {
                    out.printf(Locale.ROOT, "%-14s %6d %9.1f %5d %10.3f %9.3f %9.2f%n", r.cell().sampler().cliName(),
                            r.cell().steps(), r.cell().guidance(), r.nfe(), r.fidLite(), r.accuracy(), r.seconds());
                    out.flush();
                }
            }, () -> false);
        }
        out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** {@code shipped} when that pretrained model is there; else --model is required, and the message says where it looked. */
    static String defaultModel(String shipped) throws IOException {
        if (ModelLoader.resolve(shipped).isEmpty()) {
            throw new IllegalArgumentException("--model is required: no shipped model (%s)".formatted(ModelLoader.searched(shipped)));
        }
        return shipped;
    }

    private MnistClassifier loadClassifier() {
        Path file = classifier != null ? classifier : Pretrained.locate(CLASSIFIER_FILE).orElseThrow(() ->
                new IllegalArgumentException("--classifier: no shipped classifier at " + Pretrained.searched(CLASSIFIER_FILE)));
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--classifier ('%s'): no such file".formatted(file));
        try {
            return MnistClassifier.load(file);
        } catch (IOException e) {
            if (Files.isReadable(file)) throw new IllegalArgumentException("--classifier: " + e.getMessage(), e);
            throw new UncheckedIOException("--classifier: " + e.getMessage(), e);
        }
    }

    /** A comma-separated list of numbers, each in [min, max]. */
    static List<Double> doubleList(String option, String value, double min, double max) {
        try {
            List<Double> list = Arrays.stream(value.split(",")).map(String::trim).map(Double::parseDouble).toList();
            for (double v : list) Arguments.inRange(option, v, min, max);
            return list;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s ('%s') must be a comma-separated list of numbers in [%s, %s]"
                    .formatted(option, value, min, max));
        }
    }
}
