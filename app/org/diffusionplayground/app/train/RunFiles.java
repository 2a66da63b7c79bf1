package org.diffusionplayground.app.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.diffusionplayground.model.train.RunFolder;

/**
 * The app's side of a run folder: where new runs go by default, whether a folder already holds
 * a run, making it ready (writable, an old run removed only when the user agreed), and a note of
 * the dataset so that "Resume a run…" continues on the same data (checkpoints do not record it).
 */
public final class RunFiles {

    /** The app's note in a run folder: {@code dataset=<slug>} and {@code folder=<IDX folder>}. */
    public static final String DATASET_NOTE = "dataset.properties";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFiles() {
    }

    /** Where runs go by default: {@code ~/DiffusionPlayground/runs}. */
    public static Path runsRoot() {
        return Path.of(System.getProperty("user.home"), "DiffusionPlayground", "runs");
    }

    /** A new folder name under {@code root}, e.g. {@code mnist-small-20261124-153012}. */
    public static Path newRunFolder(Path root, DatasetChoice dataset, String preset, LocalDateTime now) {
        return root.resolve("%s-%s-%s".formatted(dataset.slug(), preset, STAMP.format(now)));
    }

    /** The folder a user typed, with a leading {@code ~} meaning the home folder as in a shell. */
    public static Path expandHome(String typed) {
        if (typed.equals("~")) return Path.of(System.getProperty("user.home"));
        if (typed.startsWith("~/") || typed.startsWith("~" + java.io.File.separator)) {
            return Path.of(System.getProperty("user.home"), typed.substring(2));
        }
        return Path.of(typed);
    }

    /**
     * Null if a new run may write to {@code dir}; otherwise the question to ask before replacing
     * the run it holds.
     */
    public static String conflict(Path dir) throws IOException {
        RunFolder run = new RunFolder(dir);
        List<Path> checkpoints = run.checkpoints();
        boolean model = Files.isRegularFile(run.modelFile());
        if (checkpoints.isEmpty() && !model && !Files.isRegularFile(run.lossLog())) return null;
        String held = checkpoints.isEmpty() ? "a model or loss log"
                : "a run with checkpoints up to step %,d".formatted(RunFolder.stepOf(checkpoints.get(checkpoints.size() - 1)));
        return "%s already holds %s.\nReplace it with the new run? Its checkpoints, model and loss log will be deleted."
                .formatted(dir, held) + "\n(To continue it instead, cancel and use \"Resume a run…\".)";
    }

    /** Creates {@code dir} and checks that files can be written in it. */
    public static void prepare(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("the output folder %s is not writable (%s)".formatted(dir, reason(e)), e);
        }
    }

    /**
     * Deletes an old run's files in {@code dir} (checkpoints, model, loss log, dataset note;
     * nothing else) — only once the new run that replaces it is ready to start.
     */
    public static void clearRun(Path dir) throws IOException {
        RunFolder run = new RunFolder(dir);
        for (Path p : run.checkpoints()) Files.deleteIfExists(p);
        for (Path p : List.of(run.modelFile(), run.lossLog(), dir.resolve(DATASET_NOTE))) Files.deleteIfExists(p);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".dpck.tmp")).toList()) Files.deleteIfExists(p);
        }
    }

    private static String reason(IOException e) {
        String type = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? type : type.isEmpty() ? e.getMessage() : type + ": " + e.getMessage();
    }

    public static void writeDataset(Path dir, DatasetChoice dataset, Path dataFolder) throws IOException {
        Properties p = new Properties();
        p.setProperty("dataset", dataset.slug());
        if (dataFolder != null) p.setProperty("folder", dataFolder.toAbsolutePath().toString());
        try (Writer out = Files.newBufferedWriter(dir.resolve(DATASET_NOTE), StandardCharsets.UTF_8)) {
            p.store(out, "Diffusion Playground: the data this run trains on");
        }
    }

    /** The dataset a run folder notes, or null (a run started by the CLI, or an unknown note). */
    public static DatasetNote readDataset(Path dir) throws IOException {
        Path file = dir.resolve(DATASET_NOTE);
        if (!Files.isRegularFile(file)) return null;
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        DatasetChoice d = DatasetChoice.ofSlug(p.getProperty("dataset", ""));
        if (d == null) return null;
        String folder = p.getProperty("folder");
        return new DatasetNote(d, folder == null ? null : Path.of(folder));
    }

    /** Whether {@code run} has a model.dpck or a checkpoint to sample (as {@link org.diffusionplayground.model.checkpoint.ModelLoader} resolves a folder). */
    static boolean holdsModel(RunFolder run) {
        try {
            return Files.isRegularFile(run.modelFile()) || !run.checkpoints().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** "ckpt-0000400.dpck · step 400" for the newest checkpoint in {@code run}, or null. */
    static String newestCheckpoint(RunFolder run) {
        try {
            List<Path> all = run.checkpoints();
            if (all.isEmpty()) return null;
            Path newest = all.get(all.size() - 1);
            return TrainProgress.checkpointText(newest, RunFolder.stepOf(newest));
        } catch (IOException e) {
            return null;
        }
    }

    /** A run's dataset as noted in its folder. */
    public record DatasetNote(DatasetChoice dataset, Path folder) {
    }
}
