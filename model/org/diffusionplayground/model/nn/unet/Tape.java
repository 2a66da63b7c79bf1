package org.diffusionplayground.model.nn.unet;

import org.diffusionplayground.model.nn.GroupNormSilu;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a training forward pass of {@link UNetInference} keeps for {@link UNetBackward}: the input
 * of every norm (the conv outputs and concatenations live on in the pass's buffers), the
 * embedding MLP's activations, and the attention block's intermediates. Valid until the next
 * forward pass.
 */
final class Tape {

    /** The attention block: its normalised input, q, k, v [B,c,n], softmax weights A [B,n,n], output o. */
    record Attention(INDArray normed, INDArray q, INDArray k, INDArray v, INDArray weights, INDArray o) {
    }

    final Map<String, INDArray> normInputs = new HashMap<>();
    /** Each norm's per-(sample, group) mean and 1/σ, as {@link GroupNormSilu#apply} kept them. */
    final Map<String, double[]> moments = new HashMap<>();
    INDArray input;
    int[] labels;
    /** sinusoid features, W1·f + b1 (before SiLU), the summed embedding before SiLU, and after. */
    float[] feats, hidden, preEmb, emb;
    Map<String, float[]> shifts;
    Attention attention;
}
