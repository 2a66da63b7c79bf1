/**
 * Measuring samples and samplers: FID-lite on a small MNIST classifier's features
 * ({@link org.diffusionplayground.model.eval.FrechetDistance}, {@link
 * org.diffusionplayground.model.eval.MnistClassifier}), the sliced Wasserstein distance for 2-D
 * points ({@link org.diffusionplayground.model.eval.SlicedWasserstein}), the accurate solution of
 * the probability-flow ODE that convergence orders are measured against
 * ({@link org.diffusionplayground.model.eval.OdeReference}), sampler × steps on an exact oracle
 * ({@link org.diffusionplayground.model.eval.SamplerConvergence}: the lab's convergence chart and
 * {@code bench samplers}), and the quality table of an image model
 * ({@link org.diffusionplayground.model.eval.QualityBenchmark}).
 */
package org.diffusionplayground.model.eval;
