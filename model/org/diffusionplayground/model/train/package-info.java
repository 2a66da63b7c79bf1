/**
 * Training the U-Net without any UI: {@link org.diffusionplayground.model.train.Trainer} (one
 * SameDiff fit() call, EMA, update clipping, pause/resume/stop, listeners), the noised batches
 * it consumes ({@code NoisedBatches}: batch k is a pure function of seed and k), and checkpoints
 * ({@link org.diffusionplayground.model.checkpoint.CheckpointFile}: plain arrays + JSON, checksummed,
 * written atomically; {@link org.diffusionplayground.model.train.RunFolder} names and keeps them;
 * {@link org.diffusionplayground.model.checkpoint.ModelLoader} opens one for sampling, by file, run folder or shipped name).
 */
package org.diffusionplayground.model.train;

import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.checkpoint.ModelLoader;
