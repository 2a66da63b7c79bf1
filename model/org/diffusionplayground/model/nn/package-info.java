/**
 * Networks in ND4J SameDiff: the class-conditional U-Net for 28×28×1 images (described once as a
 * list of blocks, {@code UNetLayout}, which {@link org.diffusionplayground.model.nn.unet.UNetGraph}
 * builds and the fast passes walk; {@link org.diffusionplayground.model.nn.unet.UNet}
 * puts it behind the sampling {@code Denoiser} interface, {@link
 * org.diffusionplayground.model.nn.unet.UNetConfig} sizes it). Variable names are stable
 * ("down1.conv1.w", …): checkpoints match weights by name and shape.
 */
package org.diffusionplayground.model.nn;

import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.nn.unet.UNetGraph;
