package org.diffusionplayground.app.train;

import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.TextModelConfig;
import org.diffusionplayground.model.objective.GaussianDiffusion;
import org.diffusionplayground.model.objective.Objective;
import org.diffusionplayground.model.objective.TextDiffusion;

/**
 * What a run trains on, read off the UI thread: images, on which the U-Net learns Gaussian
 * diffusion, or a character corpus, on which the DDiT transformer learns discrete diffusion. Each
 * builds the objective a network trains with from the network's own config (a checkpoint's, when
 * a run continues), so one {@code Trainer} serves both.
 */
sealed interface TrainData {

    /** The objective a network of {@code net} trains with on this data; the message says what does not fit. */
    Objective objective(NetworkConfig net);

    /** Digits or clothes for the class-conditional U-Net. */
    record Images(TrainingSet set) implements TrainData {
        @Override public Objective objective(NetworkConfig net) { return GaussianDiffusion.of(net, set); }
    }

    /**
     * Windows of a text for the DDiT: masked (MDLM) or uniform (SEDD) diffusion, or the
     * left-to-right baseline's next-character objective, as its config says ({@link TextDiffusion#of}).
     */
    record Text(TextCorpus corpus) implements TrainData {
        @Override public Objective objective(NetworkConfig net) { return TextDiffusion.of(net, corpus); }
    }

    /** Whether a network of {@code net} is a text model (its preview is text, its speed in sequences). */
    static boolean isText(NetworkConfig net) {
        return net instanceof TextModelConfig;
    }
}
