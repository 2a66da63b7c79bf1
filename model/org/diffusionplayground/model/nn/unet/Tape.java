package org.diffusionplayground.model.nn.unet;

import org.diffusionplayground.model.nn.GroupNormSilu;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a training forward pass of {@link UNetInference} keeps for {@link UNetBackward}: every
 * block's output, the input of every norm, the embedding MLP's activations, and the attention
 * block's intermediates. The arrays are the pass's buffers, valid until the next forward pass.
 */
final class Tape {

    /** The attention block: its normalised input, q, k, v [B,n,c], softmax weights A [B,n,n] (rows: queries), output o. */
    record Attention(INDArray normed, INDArray q, INDArray k, INDArray v, INDArray weights, INDArray o) {
    }

    /**
     * Each block's output by the block's name ({@link UNetLayout.Block#name}): the input of the
     * next block and of any skip connection from it. Named here because the buffer holding it
     * is another op's: a residual block adds its skip in place into its conv2's buffer
     * ("down2" is in "down2.conv2"), attention into its projection's ("mid.attn.proj").
     */
    final Map<String, INDArray> outputs = new HashMap<>();
    final Map<String, INDArray> normInputs = new HashMap<>();
    /** Each norm's per-(sample, group) mean and 1/σ, as {@link GroupNormSilu#apply} kept them. */
    final Map<String, double[]> moments = new HashMap<>();
    /** The network's input [B, 1, S, S], the first block's input. */
    INDArray input;
    int[] labels;
    /** sinusoid features, W1·f + b1 (before SiLU), the summed embedding before SiLU, and after. */
    float[] feats, hidden, preEmb, emb;
    /** Each residual block's time/class shift [B, out] flattened, by block name. */
    Map<String, float[]> shifts;
    /** Each attention block's intermediates, by block name. */
    final Map<String, Attention> attention = new HashMap<>();
}
