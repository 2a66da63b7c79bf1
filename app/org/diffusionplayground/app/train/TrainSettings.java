package org.diffusionplayground.app.train;

import java.nio.file.Path;
import java.util.Objects;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * A new run as the Train page's form describes it; the rest of {@link TrainConfig} follows the
 * {@code train} command: warm-up min(200, steps/10), EMA 0.999, p_uncond 0.1 (images; text has no
 * labels to drop), update clip 1, no weight decay, no min-SNR weighting.
 *
 * @param dataFolder      the IDX folder (null for the bundled sets)
 * @param net             the network: a U-Net preset with the chosen prediction, or a text preset for the chosen process
 * @param checkpointEvery steps between checkpoints, which are also when the preview refreshes
 */
public record TrainSettings(DatasetChoice dataset, Path dataFolder, NetworkConfig net, int steps, int batch,
                            double learningRate, long seed, int checkpointEvery, Path outDir) {

    public static final int MAX_STEPS = 10_000_000;
    public static final int MAX_BATCH = 1024;

    public TrainSettings {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(net, "net");
        if (dataset.needsFolder() && dataFolder == null) throw new IllegalArgumentException(
                "%s needs its IDX folder: choose one".formatted(dataset.label().replace(" (IDX folder…)", "")));
        if (steps < 1 || steps > MAX_STEPS) throw new IllegalArgumentException(
                "steps (%d) must be in [1, %,d]".formatted(steps, MAX_STEPS));
        if (batch < 1 || batch > MAX_BATCH) throw new IllegalArgumentException(
                "batch (%d) must be in [1, %d]".formatted(batch, MAX_BATCH));
        if (!(learningRate >= 1e-7 && learningRate <= 0.1)) throw new IllegalArgumentException(
                "learning rate (%s) must be in [1e-7, 0.1]".formatted(learningRate));
        if (checkpointEvery < 1) throw new IllegalArgumentException(
                "checkpoint interval (%d) must be ≥ 1".formatted(checkpointEvery));
        if (outDir == null) throw new IllegalArgumentException("choose an output folder");
        if (dataset.isText() != TrainData.isText(net)) throw new IllegalArgumentException("a %s network does not train on %s"
                .formatted(net.architecture().id(), dataset.label()));
    }

    /** The network of a preset ("small" or "reference") predicting {@code p}. */
    public static UNetConfig preset(String name, Parameterization p) {
        return UNetConfig.preset(name).withParameterization(p);
    }

    /**
     * The text network of a preset ("tiny", "small" or "base") for tiny Shakespeare's characters,
     * trained for {@code process}; the message lists the presets.
     */
    public static TransformerConfig textPreset(String name, TextProcessChoice process) {
        return TransformerConfig.preset(name, TextCorpus.SHAKESPEARE_CHARACTERS).forProcess(process.process());
    }

    /** Parses a learning rate typed by the user ("1e-3", "0.001"); the message quotes the text. */
    public static double parseLearningRate(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning rate \"%s\" is not a number (e.g. 1e-3)".formatted(text));
        }
    }

    public TrainConfig trainConfig() {
        return new TrainConfig(steps, batch, learningRate, Math.min(200, steps / 10), 0.0, 0.999, 0.0, dataset.isText() ? 0.0 : 0.1,
                checkpointEvery, 1.0, seed);
    }
}
