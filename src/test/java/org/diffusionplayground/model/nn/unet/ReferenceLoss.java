package org.diffusionplayground.model.nn.unet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The weighted mean squared error written as SameDiff ops on a U-Net graph's output, for tests
 * that need SameDiff's own gradients ({@code calculateGradients}, {@code fit}) as a reference:
 * loss = (1/B)·Σ_b weight_b·mean_pixels (out_b − target_b)², DDPM's "simple" loss (Ho et al.
 * 2020, "Denoising diffusion probabilistic models", eq. 14) with a per-example weight. Written
 * here from the definition, independently of {@code objective.MeanSquaredError}.
 */
public final class ReferenceLoss {

    public static final String TARGET = "target", WEIGHT = "weight", LOSS = "loss";

    private ReferenceLoss() {
    }

    /**
     * Adds placeholders "target" [B, 1, S, S] and "weight" [B] and the loss variable "loss" on
     * top of {@link UNetGraph#OUT}, once per graph, and makes it the graph's loss.
     */
    public static SameDiff addTo(SameDiff sd) {
        if (sd.hasVariable(LOSS)) {
            sd.setLossVariables(LOSS); // the graph's own loss variable is its vector–Jacobian product
            return sd;
        }
        int s = UNetConfig.SIZE;
        SDVariable out = sd.getVariable(UNetGraph.OUT);
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, UNetLayout.IMAGE_CHANNELS, s, s);
        SDVariable weight = sd.placeHolder(WEIGHT, DataType.FLOAT, -1);
        SDVariable perExample = sd.mean(sd.math.square(out.sub(target)), 1, 2, 3); // [B]
        sd.mean(LOSS, perExample.mul(weight));
        sd.setLossVariables(LOSS);
        return sd;
    }
}
