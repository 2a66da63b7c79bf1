/**
 * Networks, one package each, on one contract. {@link org.diffusionplayground.model.nn.Network}
 * is what the trainer and the checkpoints see: named weights, the config that rebuilds them
 * ({@link org.diffusionplayground.model.nn.NetworkConfig}, which names its
 * {@link org.diffusionplayground.model.nn.Architecture}), and the gradients of a loss passed in
 * ({@link org.diffusionplayground.model.nn.Loss} on a {@link org.diffusionplayground.model.nn.Batch})
 * — the loss belongs to the objective, never to the network. Each network is described once, as
 * a list of blocks or layers derived from its config, which every pass walks.
 *
 * <ul>
 *   <li>{@code nn.unet}: the class-conditional U-Net for 28×28 images (DDPM's, Ho et al. 2020,
 *       App. B, cut down): a SameDiff graph that owns the weights and is the reference, and a
 *       hand-written forward and backward pass (oneDNN convolutions, fused Java kernels) that
 *       training and sampling run.</li>
 *   <li>{@code nn.mlp}: a small MLP denoiser for 2-D points.</li>
 *   <li>This package: the contract and the kernels networks share
 *       ({@link org.diffusionplayground.model.nn.GroupNormSilu},
 *       {@link org.diffusionplayground.model.nn.Sinusoid}, {@link org.diffusionplayground.model.nn.Buffers}).</li>
 * </ul>
 * Weight names are stable ("down1.conv1.w", "hidden0.w", …): checkpoints match weights by name
 * and shape.
 */
package org.diffusionplayground.model.nn;
