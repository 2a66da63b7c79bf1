package org.diffusionplayground.model.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.train.TrainConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a run needs to continue exactly where it stopped: the network's config (which names
 * its architecture) and the training config, the number of completed steps (which, with the
 * seed, is the whole RNG state of the objective's batches), the weights, their EMA, and the optimiser's state per weight
 * (Adam's "M" and "V"). A shipped model is a checkpoint with only {@code weights} (the EMA ones)
 * and no training config. Read and written by {@link CheckpointFile}.
 *
 * @param train     null for a model file
 * @param optimizer state key ("M", "V") → weight name → array; empty for a model file
 * @param loss      the loss of the last step before the checkpoint (NaN if unknown)
 */
public record Checkpoint(NetworkConfig model, TrainConfig train, int step, double loss,
                         Map<String, INDArray> weights, Map<String, INDArray> ema,
                         Map<String, Map<String, INDArray>> optimizer) {

    public Checkpoint {
        if (model == null) throw new IllegalArgumentException("a checkpoint needs its model config");
        if (step < 0) throw new IllegalArgumentException("step (%d) must be ≥ 0".formatted(step));
        if (weights == null || weights.isEmpty()) throw new IllegalArgumentException("a checkpoint needs weights");
        ema = ema == null ? Map.of() : ema;
        optimizer = optimizer == null ? Map.of() : optimizer;
    }

    /** The weights to sample with: the EMA ones when present (Ho et al. 2020, App. B). */
    public Map<String, INDArray> samplingWeights() {
        return ema.isEmpty() ? weights : ema;
    }

    /** This checkpoint reduced to what sampling needs: EMA weights as the weights, no training state. */
    public Checkpoint asModel() {
        return new Checkpoint(model, null, step, loss, new LinkedHashMap<>(samplingWeights()), Map.of(), Map.of());
    }
}
