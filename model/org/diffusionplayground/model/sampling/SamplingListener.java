package org.diffusionplayground.model.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link SamplerRun} reports, on the sampling thread: the x_T it drew, then every step.
 * Arrays are the run's own, never modified later; a listener may keep them, and copies only
 * what it needs.
 */
@FunctionalInterface
public interface SamplingListener {

    /** Reports nothing. */
    SamplingListener NONE = e -> { };

    /** After every step (see {@link StepEvent}). */
    void onStep(StepEvent event);

    /** Before the first step: x_T [B, …] at the grid's first time t. */
    default void onStart(double t, INDArray xT) {
    }
}
