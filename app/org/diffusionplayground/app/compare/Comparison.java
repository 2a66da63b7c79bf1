package org.diffusionplayground.app.compare;

/** What the Compare page sets side by side. */
public enum Comparison {
    /** The samplers on the current model, each at the page's number of steps. */
    SAMPLERS("samplers", "Samplers"),
    /**
     * The diffusion model beside the flow-matching model, both from the same x_T and each column at
     * the same number of network evaluations (de Freitas 2026, "Diffusion and flow matching
     * tutorial", §7.4: one principle, two models).
     */
    DIFFUSION_VS_FLOW("diffusion-vs-flow", "Diffusion vs flow");

    private final String id;
    private final String text;

    Comparison(String id, String text) {
        this.id = id;
        this.text = text;
    }

    /** Its name in scenario files. */
    public String id() { return id; }

    /** As the page's selector shows it. */
    public String text() { return text; }
}
