package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.train.TrainConfig;

/**
 * What a network is trained to do, over the data it is trained on: how a batch is drawn from the
 * data (the forward process of a family — Gaussian noising, a flow-matching interpolant,
 * masking) and the loss on the network's output. One objective per family; the trainer knows
 * only this interface.
 */
public interface Objective {

    /**
     * Batch k (0-based) of a run: a pure function of ({@code config.seed()}, k), so the "RNG
     * state" of a run is its step and a resumed run sees the same batches.
     */
    Batch batch(TrainConfig config, int k);

    Loss loss();

    /** A one-line description for logs and the UI, e.g. "Gaussian diffusion, v-prediction". */
    String describe();
}
