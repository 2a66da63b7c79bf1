package org.diffusionplayground.app;

/** The app's pages, one per activity, in sidebar order. */
public enum Page {
    FORWARD("Forward process", "Noise images step by step: xₜ = √ᾱₜ·x₀ + √(1−ᾱₜ)·ε"),
    REVERSE("Reverse process", "A trained U-Net turns noise into digits, one sampler step at a time"),
    COMPARE("Compare samplers", "Samplers, or diffusion vs flow, from the same noise x_T: what each sees and costs"),
    SCHEDULES("Schedules & SNR", "Compare noise schedules and where samplers put their steps"),
    LAB("2-D sampler lab", "Samplers on toy data with an exact denoiser: every error is the sampler's own"),
    TRAIN("Train", "Train the digit U-Net or the Shakespeare text model on this machine and watch it learn"),
    TEXT("Text", "A token theatre: Shakespeare dissolves into masks or noise, and a model writes it back");

    private final String title;
    private final String subtitle;

    Page(String title, String subtitle) {
        this.title = title;
        this.subtitle = subtitle;
    }

    public String title() { return title; }

    public String subtitle() { return subtitle; }
}
