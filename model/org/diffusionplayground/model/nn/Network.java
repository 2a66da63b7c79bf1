package org.diffusionplayground.model.nn;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable network as the trainer and the checkpoint code see it: named weights, the config
 * that rebuilds it (and names its architecture), and the gradients of a loss on its output.
 * What the output means — ε̂, v̂, a velocity, logits — is the objective's business, not the
 * network's: the loss is passed in ({@link Loss}), never written inside the network.
 */
public interface Network {

    /** The config this network was built from; checkpoints store it beside the weights. */
    NetworkConfig config();

    /** Trainable weights by name, in a fixed order: the live arrays, not copies. */
    Map<String, INDArray> weights();

    /**
     * Copies {@code values} into the weights. Names and shapes must match exactly; a missing,
     * extra or misshapen weight is an {@link IllegalArgumentException} naming it.
     */
    void setWeights(Map<String, INDArray> values);

    /**
     * The forward pass on {@code batch}'s inputs, {@code loss} on the output, and the backward
     * pass: the batch's loss and dL/dθ by weight name. The gradient arrays are live and are
     * overwritten by the next call.
     */
    Gradients gradients(Batch batch, Loss loss);

    /** Whether large batches may run as concurrent parts (on by default with two cores or more). */
    default void splitBatches(boolean on) {
    }

    /** The number of trainable parameters. */
    default long parameterCount() {
        return weights().values().stream().mapToLong(INDArray::length).sum();
    }

    /** A batch's loss and its gradients by weight name. */
    record Gradients(double loss, Map<String, INDArray> byWeight) {

        /** Adds {@code other}'s gradients into this one's arrays (the parts of one batch); returns the sum. */
        public Gradients plus(Gradients other) {
            for (Map.Entry<String, INDArray> g : byWeight.entrySet()) g.getValue().addi(other.byWeight().get(g.getKey()));
            return new Gradients(loss + other.loss(), byWeight);
        }
    }
}
