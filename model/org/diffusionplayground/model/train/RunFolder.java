package org.diffusionplayground.model.train;

import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's folder: checkpoints {@code ckpt-0000200.dpck} (step-numbered, never overwritten, the
 * newest {@value #KEEP} kept), the loss log {@code loss.csv}, and {@code model.dpck} — the EMA
 * weights alone, ready to sample with.
 */
public final class RunFolder {

    public static final int KEEP = 3;
    public static final String MODEL_FILE = "model.dpck", LOSS_LOG = "loss.csv";
    private static final Pattern NAME = Pattern.compile("ckpt-(\\d{7})\\.dpck");

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() { return dir; }

    public Path checkpointFile(int step) {
        return dir.resolve("ckpt-%07d.dpck".formatted(step));
    }

    public Path modelFile() { return dir.resolve(MODEL_FILE); }

    public Path lossLog() { return dir.resolve(LOSS_LOG); }

    /** The checkpoint files, oldest first. */
    public List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** The step a checkpoint file name carries, or −1. */
    public static int stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Reads the newest checkpoint. If it is unusable the error says so and names the previous
     * one, which is left alone: the caller (or user) decides whether to fall back to it.
     */
    public Checkpoint latest() throws IOException {
        List<Path> all = checkpoints();
        if (all.isEmpty()) throw new CheckpointException("no checkpoints (ckpt-NNNNNNN.dpck) in " + dir);
        Path newest = all.get(all.size() - 1);
        try {
            return CheckpointFile.read(newest);
        } catch (CheckpointException e) {
            String previous = all.size() > 1 ? "; the previous checkpoint " + all.get(all.size() - 2).getFileName()
                    + " is untouched — delete or move the bad file to resume from it" : "";
            throw new CheckpointException(e.getMessage() + previous, e);
        }
    }

    /** Deletes all but the newest {@value #KEEP} checkpoints. */
    public void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - KEEP; i++) Files.deleteIfExists(all.get(i));
    }
}
