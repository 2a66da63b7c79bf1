package org.diffusionplayground.model.nn;

import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;

/**
 * The config of a network trained as a Gaussian denoiser: what its output means and the path it
 * is trained (and sampled) under — a VP noise schedule for a diffusion model, the linear
 * interpolant for a flow-matching one — and its classes (0 = unconditional; the null class
 * of classifier-free guidance is index {@code numClasses}).
 */
public interface DenoiserConfig extends NetworkConfig {

    Parameterization parameterization();

    GaussianPath noiseSchedule();

    int numClasses();
}
