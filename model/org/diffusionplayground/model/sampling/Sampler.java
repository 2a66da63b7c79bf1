package org.diffusionplayground.model.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reverse-diffusion algorithm. A sampler instance belongs to one run: multistep solvers keep
 * their history in fields of a fresh instance (never behind a reset()). A step may evaluate the
 * model more than once (Heun, singlestep DPM-Solver); the loop reads the NFE off the
 * {@link ModelFn}.
 */
public interface Sampler {

    /**
     * Moves x from time t to tPrev &lt; t. tPrev = 0 is the final step to clean data.
     *
     * @return x_{tPrev} and the model's first prediction made at (x, t)
     */
    Step step(ModelFn model, INDArray x, double t, double tPrev);

    /** The result of one step: the new x and the prediction (x̂0, ε̂, raw output) at the old x. */
    record Step(INDArray x, Prediction prediction) {
    }
}
