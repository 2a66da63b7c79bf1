/**
 * Timing only: the networks' forward and training step times and memory ({@link
 * org.diffusionplayground.model.bench.NetworkBenchmark}). Nothing here is used by the app or the
 * CLI's sampling; the sampler table of {@code bench samplers} and the lab's convergence chart is
 * {@link org.diffusionplayground.model.eval.SamplerConvergence}.
 */
package org.diffusionplayground.model.bench;
