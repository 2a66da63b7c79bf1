package org.diffusionplayground.model.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of a side-by-side benchmark: the project's own PyTorch definition of a network
 * (a script shipped in {@code assets/peer/}), run as a child process that answers one command per
 * line, so the Java side can time A, then B, then A again in one run. A ratio is only ever taken
 * between figures measured this way.
 */
public final class PeerProcess implements AutoCloseable {

    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    private PeerProcess(Process process) {
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Why PyTorch cannot run here ({@code python} missing or without torch), or null when it can;
     * with its version appended after a tab when it can ("" before the tab).
     */
    public static String unavailable(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "%s cannot import torch (apt-get install -y python3-torch gives Debian's PyTorch)".formatted(python);
            }
            return null;
        } catch (IOException e) {
            return "%s cannot be run: %s".formatted(python, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Starts the shipped script {@code resource} (a classpath path) under {@code python}, its native thread pools unset. */
    public static PeerProcess start(String python, String resource) throws IOException {
        return start(python, resource, 0);
    }

    /**
     * As {@link #start(String, String)} with the native thread pools (OpenMP, OpenBLAS, MKL) held to
     * {@code threads} (0: their defaults). OpenBLAS sizes its pool when it loads, whatever
     * torch.set_num_threads says later, and its idle threads spin for a while after each call: on
     * a shared core they take the time of the other side of an A/B pair.
     */
    public static PeerProcess start(String python, String resource, int threads) throws IOException {
        return start(python, resource, threads, true);
    }

    /**
     * As above; {@code keepFreedMemory} false leaves glibc's defaults, under which PyTorch's peak RSS
     * is lowest (and its steps slowest here): the memory figure is measured that way, PyTorch at its
     * best on each figure.
     */
    public static PeerProcess start(String python, String resource, int threads, boolean keepFreedMemory) throws IOException {
        Path script = Files.createTempFile("peer", ".py");
        script.toFile().deleteOnExit();
        try (InputStream s = PeerProcess.class.getResourceAsStream(resource)) {
            if (s == null) throw new IOException("the peer script " + resource + " is not on the classpath");
            Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        // glibc gives large freed blocks back to the OS and faults them in again on the next step; on this
        // VM that made PyTorch's U-Net training step 1,100 ms in some runs and 405 ms in others (measured).
        // The peer keeps its memory: PyTorch at its best, which is what our figures are compared with.
        String[][] keep = {{"MALLOC_MMAP_THRESHOLD_", "1073741824"}, {"MALLOC_TRIM_THRESHOLD_", "4294967296"},
                {"MALLOC_TOP_PAD_", "268435456"}};
        for (String[] kv : keepFreedMemory ? keep : new String[0][]) pb.environment().putIfAbsent(kv[0], kv[1]);
        if (threads > 0) {
            for (String pool : new String[] {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"}) {
                pb.environment().put(pool, String.valueOf(threads));
            }
        }
        return new PeerProcess(pb.start());
    }

    /** The peer's process id (to pin it to a CPU, see {@link org.diffusionplayground.model.runtime.CpuAffinity}). */
    public long pid() {
        return process.pid();
    }

    /** Sends one command and returns the value after the answer's expected first word. */
    public String ask(String command, String answer) throws IOException {
        in.println(command);
        String line = out.readLine();
        if (line == null) throw new IOException("the PyTorch peer exited while answering '%s'".formatted(command));
        String[] parts = line.strip().split("\\s+", 2);
        if (!parts[0].equals(answer) || parts.length < 2) throw new IOException(
                "the PyTorch peer answered '%s' to '%s'".formatted(line, command));
        return parts[1];
    }

    public double askNumber(String command, String answer) throws IOException {
        return Double.parseDouble(ask(command, answer));
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The median of {@code values}. */
    public static double median(List<Double> values) {
        return NetworkBenchmark.median(values.stream().mapToDouble(d -> d).toArray());
    }
}
