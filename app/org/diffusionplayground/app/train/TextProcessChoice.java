package org.diffusionplayground.app.train;

import org.diffusionplayground.model.nn.transformer.TransformerConfig;

/**
 * The kinds of text model the Train page trains, each a {@link TransformerConfig} process: masked
 * (absorbing-state) diffusion (MDLM; Sahoo et al. 2024), uniform diffusion (SEDD; Lou, Meng &amp;
 * Ermon 2023), and the left-to-right baseline they are measured against — a causal model of the
 * same size trained on next-character cross-entropy (Bengio et al. 2003), whose validation figure
 * is its exact likelihood rather than a bound.
 */
public enum TextProcessChoice {
    ABSORBING(TransformerConfig.ABSORBING, "masked (absorbing) · MDLM"),
    UNIFORM(TransformerConfig.UNIFORM, "uniform · SEDD"),
    AUTOREGRESSIVE(TransformerConfig.AUTOREGRESSIVE, "left to right · AR baseline");

    private final String process;
    private final String label;

    TextProcessChoice(String process, String label) {
        this.process = process;
        this.label = label;
    }

    /** The {@link TransformerConfig#process()} it trains, e.g. "absorbing". */
    public String process() { return process; }

    public String label() { return label; }

    /** The choice of a config's process; the message names the process when the page cannot train it. */
    public static TextProcessChoice of(String process) {
        for (TextProcessChoice c : values()) if (c.process.equals(process)) return c;
        throw new IllegalArgumentException("the Train page trains masked (absorbing), uniform and left-to-right text models, not '%s' ones"
                .formatted(process));
    }
}
