package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.bench.SamplerRun;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampler.SamplerOptions;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sample}: draw samples from a model with one sampler and write them as CSV. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Draw samples with one sampler and write them to a CSV file: "
        + "a header line 'x,y' (unless --no-header), then one sample per row, x,y.")
final class SampleCommand implements Callable<Integer> {

    static final int MAX_N = 100_000;

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SOURCE",
            description = "oracle:<dataset>: the exact denoiser of ring8, gaussian, moons, spiral or checkerboard.")
    String model;

    @Option(names = "--sampler", defaultValue = "ddim", paramLabel = "NAME", completionCandidates = SamplerNames.class,
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", defaultValue = "50", description = "Sampling steps, 1..T (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM stochasticity η in [0, 1] (default ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--order", defaultValue = "2", description = "DPM-Solver order 1-3 (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--large-variance", description = "DDPM: σ² = β instead of the posterior β̃.")
    boolean largeVariance;

    @Option(names = "--spacing", defaultValue = "logsnr",
            description = "linear, leading, trailing or logsnr (default ${DEFAULT-VALUE}).")
    String spacing;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "ddpm, cosine, vp or cosine-logsnr (default: the model's; ddpm for oracles).")
    String schedule;

    @Option(names = "--class", paramLabel = "K",
            description = "Condition on class K (for an oracle: mixture component K; K = #components means all).")
    Integer classLabel;

    @Option(names = "--n", defaultValue = "1000", description = "Number of samples, 1..100000 (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of all randomness (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Output CSV file.")
    Path out;

    @Option(names = "--no-header", description = "Omit the 'x,y' header line.")
    boolean noHeader;

    /** The registered samplers' CLI names, for help and shell completion. */
    static final class SamplerNames implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(org.diffusionplayground.model.sampler.SamplerKind.values())
                    .map(org.diffusionplayground.model.sampler.SamplerKind::cliName).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        ModelSource source = ModelSource.parse(model);
        ScheduleKind scheduleKind = schedule == null ? null : Arguments.schedule(schedule);
        var kind = Arguments.sampler("--sampler", sampler);
        var spacingKind = Arguments.spacing(spacing);
        Arguments.inRange("--eta", eta, 0, 1);
        Arguments.inRange("--order", order, 1, 3);
        Arguments.inRange("--n", n, 1, MAX_N);
        Denoiser denoiser = source.open(scheduleKind);
        Arguments.inRange("--steps", steps, 1, denoiser.schedule().steps());
        INDArray cond = null;
        if (classLabel != null) {
            if (denoiser.numClasses() == 0) throw new IllegalArgumentException("--class: model '%s' is unconditional".formatted(model));
            Arguments.inRange("--class", classLabel, 0, denoiser.nullClass());
            cond = Nd4j.valueArrayOf(new long[] {n}, (double) classLabel, DataType.FLOAT);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out ('%s'): directory %s does not exist".formatted(out, parent));
        }

        var recipe = new SamplerRun(kind, new SamplerOptions(eta, order, largeVariance), spacingKind, steps);
        long start = System.nanoTime();
        SamplingLoop.Result result;
        try (Threads limit = Threads.limit(source.singleThreaded() ? 1 : Integer.MAX_VALUE)) {
            result = recipe.run(denoiser, cond, n, seed);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        writeCsv(result.x(), out, !noHeader);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d samples to %s (%s, %d %s-spaced steps on %s, NFE %d, %.2f s)%n",
                n, out, kind.cliName(), steps, spacingKind.name().toLowerCase(Locale.ROOT), denoiser.schedule(),
                result.nfe(), seconds);
        return 0;
    }

    /** One row per sample, comma-separated, shortest float representation, '.' decimal point. */
    static void writeCsv(INDArray x, Path file, boolean header) throws IOException {
        long rows = x.size(0), cols = x.size(1);
        float[] values = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); PrintWriter p = new PrintWriter(w)) {
            if (header) p.print(cols == 2 ? "x,y\n" : columnNames(cols));
            StringBuilder line = new StringBuilder();
            for (long r = 0; r < rows; r++) {
                line.setLength(0);
                for (long c = 0; c < cols; c++) {
                    if (c > 0) line.append(',');
                    line.append(values[(int) (r * cols + c)]);
                }
                p.print(line.append('\n'));
            }
        }
    }

    private static String columnNames(long cols) {
        StringBuilder s = new StringBuilder();
        for (long c = 0; c < cols; c++) s.append(c == 0 ? "" : ",").append("x").append(c);
        return s.append('\n').toString();
    }
}
