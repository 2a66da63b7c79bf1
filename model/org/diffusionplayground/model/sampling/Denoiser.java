package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A denoising model: given x_t at time t (and optional class labels) it returns its
 * {@link #parameterization()} output — ε̂, v̂, x̂0 or the flow velocity û — of the same shape as x.
 * Networks, the exact Gaussian-mixture oracle and test dummies all sit behind this one method.
 */
public interface Denoiser {

    /**
     * @param x    x_t, [B, ...]
     * @param t    time in [0, 1] shared by the batch
     * @param cond class labels [B] (integer-valued), or null for unconditional; a label equal to
     *             {@link #nullClass()} also means unconditional
     */
    INDArray predict(INDArray x, double t, INDArray cond);

    Parameterization parameterization();

    /**
     * The path — α(t), σ(t) — the model was trained (or, for an oracle, defined) under: a VP
     * noise schedule for diffusion models, the linear interpolant for flow matching.
     */
    GaussianPath schedule();

    /** The label meaning "no class" for classifier-free guidance; −1 if the model has none. */
    default int nullClass() {
        return -1;
    }

    /** The number of classes this model is conditioned on; 0 if unconditional. */
    default int numClasses() {
        return 0;
    }
}
