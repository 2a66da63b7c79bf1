package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.train.RunFolder;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * A run "Resume a run…" found: its newest checkpoint's configs, step and loss (not its weights,
 * which the run re-reads when it starts), the dataset the app noted for it and its loss curve.
 *
 * @param net     a U-Net's or a text transformer's config
 * @param note    the run's dataset, or null when the folder does not say (e.g. a CLI run)
 * @param history the loss log up to {@code step}
 */
public record ResumePoint(Path folder, int step, double loss, NetworkConfig net, TrainConfig train,
                          RunFiles.DatasetNote note, LossHistory history) {

    /** Reads what a run folder holds; off the UI thread. The messages name the bad file. */
    static ResumePoint read(Path folder) throws IOException {
        RunFolder run = new RunFolder(folder);
        Checkpoint c = run.latest();
        if (c.train() == null) throw new IOException(folder + " holds a model file without training state");
        if (c.model() instanceof TransformerConfig t) {
            try {
                TextProcessChoice.of(t.process());
            } catch (IllegalArgumentException e) {
                throw new IOException("%s: %s".formatted(folder, e.getMessage()), e);
            }
        } else if (!(c.model() instanceof UNetConfig)) {
            throw new IOException("%s holds a '%s' network; the Train page trains U-Nets and text transformers"
                    .formatted(folder, c.model().architecture().id()));
        }
        return new ResumePoint(folder, c.step(), c.loss(), c.model(), c.train(), RunFiles.readDataset(folder),
                LossHistory.read(run.lossLog(), c.step()));
    }

    /** Whether it is a text run (tiny Shakespeare, a DDiT). */
    public boolean text() { return TrainData.isText(net); }

    /** The preset the network is ("small", "reference"; "tiny", "small", "base" for text), whatever its prediction or process, else null. */
    public String presetName() {
        if (net instanceof TransformerConfig t) {
            for (String name : TransformerConfig.PRESETS) {
                if (TransformerConfig.preset(name, t.vocab()).forProcess(t.process()).equals(t)) return name;
            }
            return null;
        }
        UNetConfig u = (UNetConfig) net;
        Parameterization p = u.parameterization();
        if (u.equals(UNetConfig.small().withParameterization(p))) return "small";
        if (u.equals(UNetConfig.reference().withParameterization(p))) return "reference";
        return null;
    }

    /** The run's own total if it stopped short of it, else 50 % more steps (at least 1,000). */
    public int suggestedSteps() {
        return step < train.steps() ? train.steps() : step + Math.max(1000, train.steps() / 2);
    }

    /**
     * "Continues mnist-small at step 8,000 (loss 0.1532): small model, v-prediction, batch 64, seed 42", or for
     * text "…: small model, absorbing process, batch 32, seed 42".
     */
    public String describe() {
        String what;
        if (net instanceof TransformerConfig t) {
            what = "%s model, %s process".formatted(presetName() != null ? presetName()
                    : "custom d %d × %d layers".formatted(t.width(), t.layers()), t.process());
        } else {
            UNetConfig u = (UNetConfig) net;
            what = "%s model, %s-prediction".formatted(presetName() != null ? presetName()
                    : "custom %d/%d/%d".formatted(u.channels1(), u.channels2(), u.channels3()),
                    u.parameterization() == Parameterization.V ? "v" : "ε");
        }
        return String.format(Locale.ROOT, "Continues %s at step %,d (loss %s): %s, batch %d, seed %d%s",
                folder.getFileName(), step, Format.number(loss), what, train.batch(), train.seed(),
                note == null && !text() ? "; its dataset is not recorded: check the one above" : "");
    }
}
