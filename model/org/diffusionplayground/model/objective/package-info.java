/**
 * Training objectives, one per model family: how a batch is drawn from the data (the family's
 * forward process) and the loss on the network's output (a path and a loss, in the terms of
 * Lipman et al.'s {@code flow_matching} library). {@link
 * org.diffusionplayground.model.objective.GaussianDiffusion}: Gaussian noising with ε/v/x0
 * targets and min-SNR weights, on the {@link org.diffusionplayground.model.objective.MeanSquaredError}.
 */
package org.diffusionplayground.model.objective;
