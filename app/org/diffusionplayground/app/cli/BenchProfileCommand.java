package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.runtime.Backend;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.runtime.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench profile}: where the time of a forward pass and of a training step goes, op kind by op
 * kind ({@link OpClock}), for the U-Net or the text transformer — the per-op tables issue 11 asks to
 * read before optimising. Each table is the mean over the timed repetitions (the warm-ups are not
 * counted) and its percentages of the mean pass; "outside the listed ops" is the mean pass less the
 * listed ops: batch building, dispatch between ops, whatever no lap covers.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Per-op time tables of the U-Net's or the text transformer's forward pass and training step.")
final class BenchProfileCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--network", defaultValue = "unet", description = "unet or ddit (default ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--model", defaultValue = "reference",
            description = "preset: small or reference for unet; tiny, small or base for ddit (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batches", split = ",", defaultValue = "1,16,32", description = "forward batches (default ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--train-batch", description = "training batch, 0 skips training (default 64 for unet, 32 for ddit)")
    Integer trainBatch;

    @Option(names = "--reps", defaultValue = "10", description = "timed repetitions per table (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--threads", defaultValue = "1", description = "threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--top", defaultValue = "14", description = "rows per table, the largest (default ${DEFAULT-VALUE})")
    int top;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Arguments.inRange("--reps", reps, 1, 1000);
        Arguments.inRange("--threads", threads, 1, 256);
        Arguments.inRange("--top", top, 1, 1000);
        for (int b : batches) Arguments.inRange("--batches", b, 1, 4096);
        int train = ComparedNetwork.trainBatch(trainBatch, network);
        ComparedNetwork net = ComparedNetwork.choose(network, model, threads);
        out.printf(Locale.ROOT, "backend: %s; %d thread(s); %s, %,d parameters; each table the mean of %d timed reps%n",
                Backend.summary(), threads, net.describe(), net.parameters(), reps);
        try (Threads limit = Threads.limit(threads)) {
            for (int b : batches) {
                OpClock.enable();
                double median = net.forwardMs(b, reps);
                OpClock.disable();
                table(out, "forward, batch " + b, median);
            }
            if (train > 0) {
                OpClock.enable();
                double median = net.trainStepMs(train, reps);
                OpClock.disable();
                table(out, "training step, batch " + train, median);
            }
        } finally {
            OpClock.disable();
        }
        return 0;
    }

    private void table(PrintWriter out, String title, double medianMs) {
        List<OpClock.Row> all = OpClock.rows();
        long faults = OpClock.faultsSinceReset();
        OpClock.Row whole = all.stream().filter(r -> r.kind().equals(OpClock.WHOLE)).findFirst().orElse(null);
        List<OpClock.Row> rows = all.stream().filter(r -> r != whole).toList();
        double mean = whole == null ? medianMs : whole.ms() / whole.calls(), listed = rows.stream().mapToDouble(OpClock.Row::ms).sum() / reps;
        out.printf(Locale.ROOT, "%n%s: median %.2f ms, mean %.2f ms (the table's 100 %%)%s%n", title, medianMs, mean,
                whole == null ? "" : String.format(Locale.ROOT, ", min–max %.2f–%.2f ms over %d", whole.minMs(), whole.maxMs(), whole.calls()));
        if (faults >= 0) out.printf(Locale.ROOT, "  minor page faults: %,d a pass (first touches of fresh memory)%n", faults / Math.max(1, reps));
        out.printf(Locale.ROOT, "  %-40s %8s %10s %6s%n", "op kind", "calls", "ms", "%");
        for (OpClock.Row r : rows.subList(0, Math.min(top, rows.size()))) {
            double ms = r.ms() / reps;
            out.printf(Locale.ROOT, "  %-40s %8.1f %10.3f %5.1f%%%n", r.kind(), (double) r.calls() / reps, ms, 100 * ms / mean);
        }
        if (rows.size() > top) {
            double rest = rows.subList(top, rows.size()).stream().mapToDouble(OpClock.Row::ms).sum() / reps;
            out.printf(Locale.ROOT, "  %-40s %8s %10.3f %5.1f%%%n", (rows.size() - top) + " more kinds", "", rest, 100 * rest / mean);
        }
        out.printf(Locale.ROOT, "  %-40s %8s %10.3f %5.1f%%%n", "outside the listed ops", "", mean - listed, 100 * (mean - listed) / mean);
    }
}
