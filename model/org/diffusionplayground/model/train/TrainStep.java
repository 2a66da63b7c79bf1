package org.diffusionplayground.model.train;

import java.time.Duration;

/**
 * One finished optimiser step, as listeners see it.
 *
 * @param step          steps completed so far (1 after the first)
 * @param totalSteps    steps the run will reach
 * @param loss          this step's (weighted) mean squared error
 * @param learningRate  the learning rate used for this step
 * @param imagesPerSec  throughput, smoothed over recent steps
 * @param eta           estimated time to {@code totalSteps} at that throughput
 */
public record TrainStep(int step, int totalSteps, double loss, double learningRate, double imagesPerSec,
                        Duration eta) {
}
