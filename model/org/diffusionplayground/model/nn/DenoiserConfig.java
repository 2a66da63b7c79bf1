package org.diffusionplayground.model.nn;

import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;

/**
 * The config of a network trained as a Gaussian denoiser: what its output means and the noise
 * schedule it is trained (and sampled) under, and its classes (0 = unconditional; the null class
 * of classifier-free guidance is index {@code numClasses}).
 */
public interface DenoiserConfig extends NetworkConfig {

    Parameterization parameterization();

    NoiseSchedule noiseSchedule();

    int numClasses();
}
