package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.Architecture;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.Backend;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.bench.NetworkBenchmark;
import org.diffusionplayground.model.bench.TransformerBenchmark;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.runtime.ProcessMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench network}: forward-pass times at batch 1/16/32/64 and a training-step time at batch 64
 * for the shipped U-Net configs ({@code small}, and {@code reference} — the 32/64/128 model with
 * attention; {@code bench compare --network unet} times either against PyTorch with the same code),
 * the process's peak resident memory, and which native build ran; forward passes both through
 * the fast inference pass and through SameDiff, so one run gives their ratio; and the time of a
 * guided 4×4 DPM-Solver++ grid with the shipped model.
 */
@Command(name = "network", mixinStandardHelpOptions = true, description = "Time the U-Net: forward at batch 1/16/32/64 (fast pass and SameDiff), a training step, peak memory, and a guided 4x4 grid.")
public final class BenchNetworkCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    static final String DDIT = "ddit-";

    @Option(names = "--models", split = ",", defaultValue = "small,reference",
            description = "configs to time: U-Nets small, reference; transformers ddit-tiny, ddit-small, ddit-base (default ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--reps", defaultValue = "5", description = "timed forward passes per batch size and grids (median; default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--train-steps", defaultValue = "5", description = "timed training steps (median; 0 skips training; default ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(names = "--train-batch", defaultValue = "64", description = "batch of the timed training steps (default ${DEFAULT-VALUE})")
    int trainBatch;

    // a plain flag: picocli's negatable --[no-]grid with default true still timed the grid under --no-grid
    @Option(names = "--no-grid", description = "skip the guided 4x4 grid with the shipped model (timed by default)")
    boolean noGrid;

    @Option(names = "--sampling-runs", defaultValue = "0",
            description = "after the grid: this many whole-schedule DDIM runs (1,000 steps each) with the shipped model, printing the RSS after each (default ${DEFAULT-VALUE})")
    int samplingRuns;

    private static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.valueOf(bytes >> 20);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Arguments.inRange("--reps", reps, 1, 1000);
        Arguments.inRange("--train-steps", trainSteps, 0, 1000);
        Arguments.inRange("--train-batch", trainBatch, 1, 4096);
        Arguments.inRange("--sampling-runs", samplingRuns, 0, 100);
        List<UNetConfig> configs = new ArrayList<>();
        List<String> unets = new ArrayList<>(), transformers = new ArrayList<>();
        for (String m : models) (m.trim().startsWith(DDIT) ? transformers : unets).add(m.trim());
        for (String m : unets) configs.add(UNetConfig.preset(m));
        List<TransformerConfig> texts = new ArrayList<>();
        for (String m : transformers) {
            try {
                texts.add(TransformerConfig.preset(m.substring(DDIT.length()), 65));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--models: " + e.getMessage(), e);
            }
        }
        out.println("backend: " + Backend.summary() + " (native build " + NativeBuild.active() + ")");
        out.println("path: " + (Backend.cpu()
                ? "the hand-written passes (fast rows) for training and sampling; samediff rows: the graph, for reference;"
                        + " U-Net forward convolutions: " + Backend.convolutions()
                : "SameDiff's graph on this backend for training and sampling (the fast rows run it too; no CPU kernels)"));
        out.printf(Locale.ROOT, "env: OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s MALLOC_ARENA_MAX=%s MALLOC_MMAP_THRESHOLD_=%s,"
                        + " max heap %d MB%n", System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"),
                System.getenv("MALLOC_ARENA_MAX"), System.getenv("MALLOC_MMAP_THRESHOLD_"), Runtime.getRuntime().maxMemory() >> 20);
        int[] batches = {1, 16, 32, 64};
        out.printf(Locale.ROOT, "%-10s %10s %-9s %9s %9s %9s %9s %13s %20s%n", "model", "params", "forward", "fwd b1",
                "fwd b16", "fwd b32", "fwd b64", "train b" + trainBatch, "peak RSS train/all");
        for (int i = 0; i < configs.size(); i++) {
            var r = NetworkBenchmark.run(unets.get(i), configs.get(i), batches, reps, trainBatch, trainSteps);
            String train = Double.isNaN(r.trainStepMs()) ? "-" : "%.0fms".formatted(r.trainStepMs());
            out.printf(Locale.ROOT, "%-10s %,10d %-9s %7.1fms %7.1fms %7.1fms %7.1fms %13s %20s%n", r.name(),
                    r.parameters(), "fast", r.forwardMs()[0], r.forwardMs()[1], r.forwardMs()[2], r.forwardMs()[3],
                    train, megabytes(r.peakRssAfterTrain()) + " / " + megabytes(r.peakRssAfterAll()) + " MB");
            out.printf(Locale.ROOT, "%-10s %10s %-9s %7.1fms %7.1fms %7.1fms %7.1fms%n", "", "", "samediff",
                    r.graphForwardMs()[0], r.graphForwardMs()[1], r.graphForwardMs()[2], r.graphForwardMs()[3]);
            out.flush();
        }
        for (int i = 0; i < texts.size(); i++) {
            TransformerConfig c = texts.get(i);
            String train = "-";
            if (trainSteps > 0) train = "%.0fms".formatted(TransformerBenchmark.trainStepMs(c, trainBatch, trainSteps));
            long afterTrain = ProcessMemory.peakRss();
            Transformer net = Transformer.create(c, 0);
            double[] fast = new double[batches.length], graph = new double[batches.length];
            for (int j = 0; j < batches.length; j++) {
                net.handWritten(true);
                fast[j] = TransformerBenchmark.forwardMs(net, batches[j], reps);
                net.handWritten(false);
                graph[j] = TransformerBenchmark.forwardMs(net, batches[j], reps);
            }
            out.printf(Locale.ROOT, "%-10s %,10d %-9s %7.1fms %7.1fms %7.1fms %7.1fms %13s %20s%n", transformers.get(i), net.parameterCount(),
                    "fast", fast[0], fast[1], fast[2], fast[3], train, megabytes(afterTrain) + " / " + megabytes(ProcessMemory.peakRss()) + " MB");
            out.printf(Locale.ROOT, "%-10s %10s %-9s %7.1fms %7.1fms %7.1fms %7.1fms%n", "", "", "samediff", graph[0], graph[1], graph[2], graph[3]);
            out.flush();
        }
        out.println("fast = UNet.predict (oneDNN convs + fused Java GroupNorm/SiLU) or the DDiT's hand-written pass; samediff = the"
                + " graph's sd.output, same weights; ddit rows: sequences of " + (texts.isEmpty() ? 256 : texts.get(0).length()) + " characters");
        out.println("peak RSS is the process's high-water mark (VmHWM) after the training steps (run first) and after"
                + " everything; later rows include earlier ones");
        if (!noGrid) {
            var shipped = ModelLoader.open(ModelLoader.DEFAULT_PRETRAINED, Architecture.UNET);
            try (Threads one = Threads.limit(1)) {
                out.printf(Locale.ROOT, "guided 4x4 grid, shipped %s (step %d): DPM-Solver++ 20 steps, w=3, batch 32 per NFE,"
                        + " as the app samples (two lanes of one OpenMP thread): %.0f ms (median of %d)%n", ModelLoader.DEFAULT_PRETRAINED, shipped.step(),
                        NetworkBenchmark.guidedGridMs((UNet) shipped.net(), reps), reps);
            }
        }
        if (samplingRuns > 0) {
            var shipped = ModelLoader.open(ModelLoader.DEFAULT_PRETRAINED, Architecture.UNET);
            UNet net = (UNet) shipped.net();
            long[] rss = NetworkBenchmark.samplingRss(net, samplingRuns);
            StringBuilder line = new StringBuilder();
            for (long r : rss) line.append(line.length() == 0 ? "" : " / ").append(megabytes(r));
            out.printf(Locale.ROOT, "sampling memory, shipped %s: %d DDIM runs of %,d steps (4x4 grid, unguided), RSS after each: %s MB%n",
                    ModelLoader.DEFAULT_PRETRAINED, samplingRuns, net.schedule().steps(), line);
        }
        return 0;
    }
}
