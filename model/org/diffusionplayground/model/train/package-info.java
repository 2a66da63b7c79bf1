/**
 * Training any network without any UI: {@link org.diffusionplayground.model.train.Trainer} runs
 * a {@link org.diffusionplayground.model.nn.Network} on an
 * {@link org.diffusionplayground.model.objective.Objective} — batch k a pure function of the seed
 * and k — with Adam/AdamW ({@code Optimizer}), an EMA of the weights
 * ({@link org.diffusionplayground.model.train.Ema}), update clipping, pause/resume/stop, a NaN
 * stop, listeners, and atomic checkpoints in a {@link org.diffusionplayground.model.train.RunFolder};
 * a resumed run repeats the uninterrupted one bit for bit. The trainer names no network and no
 * family: those are the {@code nn} and {@code objective} packages.
 */
package org.diffusionplayground.model.train;
