/**
 * Timing only: the sampler table on an exact oracle ({@link
 * org.diffusionplayground.model.bench.SamplerBenchmark}) and the networks' forward and training
 * step times and memory ({@link org.diffusionplayground.model.bench.NetworkBenchmark}). Nothing
 * here is used by the app or the CLI's sampling.
 */
package org.diffusionplayground.model.bench;
