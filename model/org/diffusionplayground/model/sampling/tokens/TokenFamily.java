package org.diffusionplayground.model.sampling.tokens;

import java.util.Locale;

/**
 * The kinds of token model, each with its own samplers ({@link TokenRun.Kind}): masked diffusion
 * (MDLM), uniform diffusion (SEDD), and the left-to-right baseline they are measured against.
 */
public enum TokenFamily {
    MASKED, UNIFORM, AUTOREGRESSIVE;

    /** The family of {@code model}, from {@link TokenModel#autoregressive()} and {@link TokenModel#absorbing()}. */
    public static TokenFamily of(TokenModel model) {
        return model.autoregressive() ? AUTOREGRESSIVE : model.absorbing() ? MASKED : UNIFORM;
    }

    /** "masked", "uniform" or "autoregressive", for messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
