/**
 * Checkpoints and shipped weights: {@link org.diffusionplayground.model.checkpoint.CheckpointFile}
 * (plain arrays + a JSON header naming the architecture and its config, checksummed, written
 * atomically; format 1 files, from before there was more than one architecture, load as U-Nets),
 * {@link org.diffusionplayground.model.checkpoint.ModelLoader} (opens a run folder, a file or a
 * shipped name for sampling, and can require an architecture), and
 * {@link org.diffusionplayground.model.checkpoint.Pretrained} (where shipped files are found).
 */
package org.diffusionplayground.model.checkpoint;
