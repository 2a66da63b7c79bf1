package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.train.RunFolder;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * A run "Resume a run…" found: its newest checkpoint's configs, step and loss (not its weights,
 * which the run re-reads when it starts), the dataset the app noted for it and its loss curve.
 *
 * @param note    the run's dataset, or null when the folder does not say (e.g. a CLI run)
 * @param history the loss log up to {@code step}
 */
public record ResumePoint(Path folder, int step, double loss, UNetConfig net, TrainConfig train,
                          RunFiles.DatasetNote note, LossHistory history) {

    /** Reads what a run folder holds; off the UI thread. The messages name the bad file. */
    static ResumePoint read(Path folder) throws IOException {
        RunFolder run = new RunFolder(folder);
        Checkpoint c = run.latest();
        if (c.train() == null) throw new IOException(folder + " holds a model file without training state");
        if (!(c.model() instanceof UNetConfig net)) throw new IOException("%s holds a '%s' network; the Train page trains U-Nets"
                .formatted(folder, c.model().architecture().id()));
        return new ResumePoint(folder, c.step(), c.loss(), net, c.train(), RunFiles.readDataset(folder),
                LossHistory.read(run.lossLog(), c.step()));
    }

    /** "small" or "reference" when the network is that preset (with either prediction), else null. */
    public String presetName() {
        Parameterization p = net.parameterization();
        if (net.equals(UNetConfig.small().withParameterization(p))) return "small";
        if (net.equals(UNetConfig.reference().withParameterization(p))) return "reference";
        return null;
    }

    /** The run's own total if it stopped short of it, else 50 % more steps (at least 1,000). */
    public int suggestedSteps() {
        return step < train.steps() ? train.steps() : step + Math.max(1000, train.steps() / 2);
    }

    /** "Continues mnist-small at step 8,000 (loss 0.1532): small model, v-prediction, batch 64, seed 42". */
    public String describe() {
        String model = presetName() != null ? presetName()
                : "custom %d/%d/%d".formatted(net.channels1(), net.channels2(), net.channels3());
        return String.format(Locale.ROOT, "Continues %s at step %,d (loss %s): %s model, %s-prediction, batch %d, seed %d%s",
                folder.getFileName(), step, Format.number(loss), model, net.parameterization() == Parameterization.V ? "v" : "ε",
                train.batch(), train.seed(), note == null ? "; its dataset is not recorded: check the one above" : "");
    }
}
