/**
 * 2-D toy data whose denoiser is exact: every dataset ({@link
 * org.diffusionplayground.model.toy.ToyDataset}) is a {@link org.diffusionplayground.model.toy.GaussianMixture},
 * so E[x0 | x_t] is known in closed form under any schedule ({@link
 * org.diffusionplayground.model.toy.MixtureOracle}) and every error a sampler shows on it is the
 * sampler's own.
 */
package org.diffusionplayground.model.toy;
