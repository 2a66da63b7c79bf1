package org.diffusionplayground.app.train;

import org.diffusionplayground.model.nn.transformer.TransformerConfig;

/**
 * The forward processes the Train page trains a text model for, each a {@link TransformerConfig}
 * process: masked (absorbing-state) diffusion (MDLM; Sahoo et al. 2024) and uniform diffusion
 * (SEDD; Lou, Meng &amp; Ermon 2023).
 *
 * <p>The hook for the left-to-right baseline (TransformerConfig process "autoregressive", on
 * another branch): a third constant here with its process name and label; its objective in
 * {@link TrainData.Text#objective}; its validation figure (exact bits/char rather than a bound)
 * and its left-to-right sample in {@link TextPreview}. The form, the run folder's name, resuming and
 * "Use this model" take the constant as they take these two.
 */
public enum TextProcessChoice {
    ABSORBING(TransformerConfig.ABSORBING, "masked (absorbing) · MDLM"),
    UNIFORM(TransformerConfig.UNIFORM, "uniform · SEDD");

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
        throw new IllegalArgumentException("the Train page trains masked (absorbing) or uniform text models, not '%s' ones"
                .formatted(process));
    }
}
