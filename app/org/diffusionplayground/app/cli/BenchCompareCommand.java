package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.bench.PeerProcess;
import org.diffusionplayground.model.runtime.Backend;
import org.diffusionplayground.model.runtime.CpuAffinity;
import org.diffusionplayground.model.runtime.ProcessMemory;
import org.diffusionplayground.model.runtime.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench compare}: one of the project's networks — the text transformer (DDiT) or the U-Net —
 * against the same architecture written in PyTorch ({@code assets/peer/ddit_torch.py},
 * {@code assets/peer/unet_torch.py}), run alternately in this one command — ours, then PyTorch's,
 * figure by figure, for several pairs — printing each pair's times and ratio and the median ratio.
 * The only kind of ratio the README quotes.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Time the text transformer or the U-Net against the same network in PyTorch, alternately in one run (pairs of A/B), and print the ratios.")
final class BenchCompareCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--network", defaultValue = "ddit", description = "ddit (the text transformer) or unet (default ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--model", defaultValue = "small",
            description = "preset: tiny, small or base for ddit; small or reference for unet (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batches", split = ",", defaultValue = "1,16,64", description = "forward batches (default ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--train-batch", description = "training batch, 0 skips training (default 32 for ddit, 64 for unet)")
    Integer trainBatch;

    /*
     * 15 pairs of one repetition each, not 5 of three: these VMs run fast and slow for seconds at a
     * time, and three repetitions of one side (1.2 s of training steps) often fell in one phase and
     * the other side's in the next. Measured in one hour: batch-64 forward pairs 0.74–1.14 with
     * 5 × 3, 0.87–0.98 with 15 × 1; the U-Net training step's 0.77–1.41 against 0.98–1.09.
     */
    @Option(names = "--pairs", defaultValue = "15", description = "A/B pairs per figure (default ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--reps", defaultValue = "1", description = "timed repetitions inside each measurement, median (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmup", defaultValue = "1",
            description = "untimed rounds of every figure on both sides before the pairs: both JITs and allocators settle (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", defaultValue = "1",
            description = "threads for both sides; our networks use their second lane only with 2 or more (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--peer-threads", description = "threads on PyTorch's side when they should differ from --threads "
            + "(PyTorch's fastest setting and ours need not be the same)")
    Integer peerThreads;

    @Option(names = "--cpu", defaultValue = "0",
            description = "with one thread each side, both sides run on this CPU; -1 leaves them where the scheduler puts them (default ${DEFAULT-VALUE})")
    int cpu;

    /** The child of {@link #trainingMemory}: train only, then print the peak RSS; not for users. */
    @Option(names = "--training-memory", hidden = true)
    boolean trainingMemoryChild;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the Python with PyTorch (default ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Arguments.inRange("--pairs", pairs, 1, 100);
        Arguments.inRange("--reps", reps, 1, 100);
        Arguments.inRange("--warmup", warmup, 0, 10);
        Arguments.inRange("--threads", threads, 1, 256);
        Arguments.inRange("--cpu", cpu, -1, 1023);
        int theirs = peerThreads != null ? peerThreads : threads;
        Arguments.inRange("--peer-threads", theirs, 1, 256);
        int train = ComparedNetwork.trainBatch(trainBatch, network);
        for (int b : batches) Arguments.inRange("--batches", b, 1, 4096);
        ComparedNetwork net = ComparedNetwork.choose(network, model, threads, theirs);
        if (trainingMemoryChild) {
            try (Threads limit = Threads.limit(threads)) {
                net.trainStepMs(train, reps);
            }
            out.printf(Locale.ROOT, "rss %d%n", ProcessMemory.peakRss() >> 20);
            return 0;
        }
        String why = PeerProcess.unavailable(python);
        if (why != null) {
            out.println("skipped: " + why);
            return 0;
        }
        String sides = theirs == threads ? "%d thread(s) each side".formatted(threads)
                : "%d thread(s) ours, %d PyTorch's".formatted(threads, theirs);
        String backend = Backend.summary(); // its core count before pinning
        // one CPU for both sides (see CpuAffinity): this thread now, so the threads it starts follow; the peer once started
        boolean pinning = cpu >= 0 && threads == 1 && theirs == 1;
        try (CpuAffinity.Pin pinned = pinning ? CpuAffinity.pinUntilClosed(cpu) : null) {
            sides += pinned != null ? ", both on CPU " + cpu : pinning ? ", not pinned (CPU " + cpu + " refused)" : "";
            out.printf(Locale.ROOT, "backend: %s; %s; %d untimed warm-up round(s), then %d pairs of (ours, PyTorch), each the median of %d reps%n",
                    backend, sides, warmup, pairs, reps);
            compare(out, net, theirs, train, pinned != null);
        }
        if (train > 0) {
            double peerRss;
            try (PeerProcess fresh = PeerProcess.start(python, net.script(), theirs, false)) {
                fresh.ask(net.peerConfig(), "ready");
                fresh.askNumber("train %d %d".formatted(train, reps), "ms");
                peerRss = fresh.askNumber("rss", "rss");
            }
            long ours = trainingMemory(train);
            out.printf(Locale.ROOT, "peak RSS of training at batch %d (a fresh process each): ours %s MB, PyTorch %.0f MB%s%n",
                    train, ours < 0 ? "?" : String.valueOf(ours), peerRss,
                    ours < 0 ? "" : String.format(Locale.ROOT, " (ratio %.2f)", ours / peerRss));
        }
        return 0;
    }

    /** The pairs, alternately, and their table; with {@code pin} the peer goes to this thread's CPU. */
    private void compare(PrintWriter out, ComparedNetwork net, int theirs, int train, boolean pin) throws java.io.IOException {
        Map<String, List<double[]>> figures = new LinkedHashMap<>();
        try (PeerProcess peer = PeerProcess.start(python, net.script(), theirs); Threads limit = Threads.limit(threads)) {
            long peerParams = Long.parseLong(peer.ask(net.peerConfig(), "ready"));
            if (pin && !CpuAffinity.pinProcess(peer.pid(), cpu)) out.println("note: PyTorch's process could not be pinned to CPU " + cpu);
            if (peerParams != net.parameters()) throw new IllegalStateException(
                    "the PyTorch %s has %,d parameters, ours %,d: the two definitions differ".formatted(net.describe(), peerParams,
                            net.parameters()));
            out.printf(Locale.ROOT, "%s: %,d parameters on both sides%n", net.describe(), peerParams);
            for (int w = 0; w < warmup; w++) { // discarded: the first measurements of a JVM (and of PyTorch) run cold
                for (int b : batches) {
                    net.forwardMs(b, 1);
                    peer.askNumber("forward %d %d".formatted(b, 1), "ms");
                }
                if (train > 0) {
                    net.trainStepMs(train, 1);
                    peer.askNumber("train %d %d".formatted(train, 1), "ms");
                }
            }
            for (int p = 0; p < pairs; p++) {
                for (int b : batches) {
                    double ours = net.forwardMs(b, reps);
                    double peerMs = peer.askNumber("forward %d %d".formatted(b, reps), "ms");
                    figures.computeIfAbsent("forward b" + b, k -> new ArrayList<>()).add(new double[] {ours, peerMs});
                }
                if (train > 0) {
                    double ours = net.trainStepMs(train, reps);
                    double peerMs = peer.askNumber("train %d %d".formatted(train, reps), "ms");
                    figures.computeIfAbsent("train step b" + train, k -> new ArrayList<>()).add(new double[] {ours, peerMs});
                }
            }
            out.printf(Locale.ROOT, "%-16s %-40s %-40s %s%n", "figure", "ours (ms, pair by pair)", "PyTorch (ms)", "ratio ours/PyTorch");
            for (var e : figures.entrySet()) {
                List<Double> ratios = new ArrayList<>();
                StringBuilder a = new StringBuilder(), b = new StringBuilder(), r = new StringBuilder();
                for (double[] pair : e.getValue()) {
                    a.append(String.format(Locale.ROOT, "%.1f ", pair[0]));
                    b.append(String.format(Locale.ROOT, "%.1f ", pair[1]));
                    ratios.add(pair[0] / pair[1]);
                    r.append(String.format(Locale.ROOT, "%.2f ", pair[0] / pair[1]));
                }
                out.printf(Locale.ROOT, "%-16s %-40s %-40s %s(median %.2f)%n", e.getKey(), a, b, r, PeerProcess.median(ratios));
            }
        }
    }

    /**
     * Our peak RSS in MB while training at batch {@code train}, in a fresh JVM as a user's run
     * starts (this command's own process has run every forward figure and several trainers by
     * now, and releases native buffers only when its garbage collector runs); −1 if it fails.
     */
    private long trainingMemory(int train) throws java.io.IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(javaBin, "-cp", System.getProperty("java.class.path"), org.diffusionplayground.app.Main.class.getName(),
                "bench", "compare", "--network", network, "--model", model, "--train-batch", String.valueOf(train), "--reps",
                String.valueOf(reps), "--threads", String.valueOf(threads), "--training-memory");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String rss = null;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) if (line.startsWith("rss ")) rss = line.substring(4).trim();
        }
        try {
            child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rss == null ? -1 : Long.parseLong(rss);
    }
}
