package org.diffusionplayground.app.text;

/** The two forward processes of discrete diffusion the text page shows. */
public enum TextProcess {
    /** Absorbing-state (masked) diffusion: characters become [M] (MDLM; Sahoo et al. 2024). */
    MASKED("Masked (absorbing)"),
    /** Uniform-state diffusion: characters are resampled uniformly (SEDD; Lou, Meng & Ermon 2023). */
    UNIFORM("Uniform");

    private final String title;

    TextProcess(String title) {
        this.title = title;
    }

    public String title() { return title; }

    public boolean absorbing() { return this == MASKED; }
}
