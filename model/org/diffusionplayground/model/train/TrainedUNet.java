package org.diffusionplayground.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionplayground.model.nn.UNet;

/**
 * Opens a trained U-Net for sampling: a model file ({@code model.dpck}, or a shipped
 * {@code pretrained/mnist-….dpck}), a checkpoint (its EMA weights), or a run folder (its
 * {@code model.dpck}, else its newest checkpoint). Only arrays are read; the graph is rebuilt
 * from the stored config by {@link UNet}.
 */
public final class TrainedUNet {

    private TrainedUNet() {
    }

    public static UNet load(Path path) throws IOException {
        Checkpoint c = read(path);
        try {
            return UNet.withWeights(c.model(), c.samplingWeights());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(path + " does not match its own model config: " + e.getMessage(), e);
        }
    }

    /** The checkpoint {@link #load} would use. */
    public static Checkpoint read(Path path) throws IOException {
        if (!Files.isDirectory(path)) return CheckpointFile.read(path);
        RunFolder run = new RunFolder(path);
        return Files.isRegularFile(run.modelFile()) ? CheckpointFile.read(run.modelFile()) : run.latest();
    }
}
