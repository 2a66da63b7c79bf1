package org.diffusionplayground.model.nn;

import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;

/**
 * The config of a network trained on characters: the forward process it is trained for, its
 * vocabulary V (real characters), its context L and its schedule — so that the engine builds the
 * objective of a text checkpoint from the file alone, as {@link DenoiserConfig} does for Gaussian
 * denoisers.
 */
public interface TextModelConfig extends NetworkConfig {

    /** Masked diffusion (MDLM), uniform diffusion (SEDD) and the left-to-right baseline (no forward process). */
    String ABSORBING = "absorbing", UNIFORM = "uniform", AUTOREGRESSIVE = "autoregressive";

    /** The forward process it is trained for, e.g. {@link #ABSORBING}. */
    String process();

    /** Real characters V (a masked model reads V + 1 ids, the last one [M]). */
    int vocab();

    /** The context L: every input holds exactly L tokens. */
    int length();

    /** The absorbing process's α_t (fails for another process). */
    MaskingSchedule maskingSchedule();

    /** The uniform process's σ̄(t) (fails for another process). */
    GeometricNoise geometricNoise();
}
