package org.diffusionplayground.model.sampling.solvers;

/**
 * Settings shared by the samplers; each uses the ones that apply to it.
 *
 * @param eta          DDIM stochasticity η ∈ [0, 1]
 * @param order        DPM-Solver order 1–3
 * @param largeVariance DDPM: σ² = β (true) or the posterior β̃ (false)
 */
public record SamplerOptions(double eta, int order, boolean largeVariance) {

    public SamplerOptions {
        if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException("eta (%s) must be in [0, 1]".formatted(eta));
        if (order < 1 || order > 3) throw new IllegalArgumentException("order (%d) must be 1, 2 or 3".formatted(order));
    }

    public static SamplerOptions defaults() {
        return new SamplerOptions(0.0, 2, false);
    }

    public SamplerOptions withEta(double eta) {
        return new SamplerOptions(eta, order, largeVariance);
    }

    public SamplerOptions withOrder(int order) {
        return new SamplerOptions(eta, order, largeVariance);
    }

    public SamplerOptions withLargeVariance(boolean largeVariance) {
        return new SamplerOptions(eta, order, largeVariance);
    }
}
