package org.diffusionplayground.model.checkpoint;

import org.diffusionplayground.model.train.RunFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.tokens.TokenModel;

/**
 * Opens a trained network for sampling from what a user names:
 * <ul>
 *   <li>a run folder: its {@code model.dpck} (the EMA weights, refreshed with every checkpoint),
 *       or, if there is none yet, its newest {@code ckpt-NNNNNNN.dpck};</li>
 *   <li>a {@code .dpck} file: a checkpoint (its EMA weights are used) or a model file;</li>
 *   <li>a pretrained name {@code <name>}: {@code pretrained/<name>.dpck} (see {@link Pretrained}).</li>
 * </ul>
 * The network is rebuilt from the architecture and config stored in the file, so a file of any
 * preset loads; a caller that needs one architecture names it and gets a clear error otherwise.
 * Checkpoints are written by rename, so a folder a training run is writing to can be read.
 */
public final class ModelLoader {

    public static final String EXTENSION = ".dpck";
    /** The shipped diffusion model, used when a command needs one and none is named. */
    public static final String DEFAULT_PRETRAINED = "mnist-small";
    /**
     * The shipped flow-matching model (the same U-Net with velocity output on the linear
     * interpolant, README "The MNIST flow model"); absent until that run has been trained and its
     * {@code model.dpck} copied to {@code pretrained/mnist-flow.dpck}.
     */
    public static final String FLOW_PRETRAINED = "mnist-flow";

    private ModelLoader() {
    }

    /** A loaded network, the file it came from and the training step its weights are from. */
    public record Loaded(Network net, Path file, int step) {

        /** The network as a denoiser (every Gaussian-diffusion network is one). */
        public Denoiser denoiser() {
            if (net instanceof Denoiser d) return d;
            throw new IllegalStateException("%s holds a %s network, which is not a denoiser"
                    .formatted(file, net.config().architecture().id()));
        }

        /** The network as a discrete diffusion model of tokens (every text network is one). */
        public TokenModel tokenModel() {
            if (net instanceof TokenModel m) return m;
            throw new IllegalStateException("%s holds a %s network, which is not a text model"
                    .formatted(file, net.config().architecture().id()));
        }
    }

    /** The file {@code value} names, or empty if it names nothing (see {@link #searched}). */
    public static Optional<Path> resolve(String value) throws IOException {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (Files.isDirectory(path)) return Optional.of(runFolderFile(path));
        if (Files.isRegularFile(path)) return Optional.of(path);
        String fileName = value.endsWith(EXTENSION) ? value : value + EXTENSION;
        return Pretrained.locate(fileName);
    }

    /** Where {@link #resolve} looked for {@code value}, for a "not found" message. */
    public static String searched(String value) {
        String fileName = value.endsWith(EXTENSION) ? value : value + EXTENSION;
        return Pretrained.isPlainName(fileName) ? "not found: no such folder or file, nor " + Pretrained.searched(fileName)
                : "not found: no such folder or file";
    }

    /** Resolves and loads; a name that resolves to nothing is a {@link CheckpointException}. */
    public static Loaded open(String value) throws IOException {
        Optional<Path> file = resolve(value);
        if (file.isEmpty()) throw new CheckpointException("'%s': %s".formatted(value, searched(value)));
        return load(file.get());
    }

    /** As {@link #open(String)}, refusing a file of another architecture than {@code expected}. */
    public static Loaded open(String value, Architecture expected) throws IOException {
        Optional<Path> file = resolve(value);
        if (file.isEmpty()) throw new CheckpointException("'%s': %s".formatted(value, searched(value)));
        return load(file.get(), expected);
    }

    /** As {@link #load(Path)}, refusing a file of another architecture than {@code expected}. */
    public static Loaded load(Path file, Architecture expected) throws IOException {
        Checkpoint c = CheckpointFile.read(file);
        Architecture found = c.model().architecture();
        if (found != expected) throw new CheckpointException("%s holds a '%s' network; this needs a '%s' network"
                .formatted(file, found.id(), expected.id()));
        return build(c, file);
    }

    /** Reads a checkpoint or model file and builds its network with the sampling (EMA) weights. */
    public static Loaded load(Path file) throws IOException {
        return build(CheckpointFile.read(file), file);
    }

    private static Loaded build(Checkpoint c, Path file) throws CheckpointException {
        try {
            Network net = c.model().create(0);
            net.setWeights(c.samplingWeights());
            return new Loaded(net, file, c.step());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("%s does not match its own model config: %s".formatted(file, e.getMessage()), e);
        }
    }

    private static Path runFolderFile(Path dir) throws IOException {
        RunFolder run = new RunFolder(dir);
        if (Files.isRegularFile(run.modelFile())) return run.modelFile();
        List<Path> checkpoints = run.checkpoints();
        if (checkpoints.isEmpty()) {
            throw new CheckpointException("%s is a folder without %s or ckpt-NNNNNNN%s (not a run folder, or no checkpoint yet)"
                    .formatted(dir, RunFolder.MODEL_FILE, EXTENSION));
        }
        return checkpoints.get(checkpoints.size() - 1);
    }
}
