package org.diffusionplayground.model.schedule;

/**
 * A {@link GaussianPath} at one time t: x_t = α·x0 + σ·ε and its time derivative along a fixed
 * (x0, ε), the conditional velocity ẋ_t = α'·x0 + σ'·ε (de Freitas 2026, "Diffusion and flow
 * matching tutorial", eq. 32; Lipman et al. 2023, "Flow matching for generative modeling",
 * Theorem 3). The conversions of {@link Parameterization} take it whole.
 *
 * <p>It also gives the linear forward SDE dx = f·x dt + g dw whose marginals are the path's
 * (Kingma et al. 2021, "Variational diffusion models", appendix on the continuous-time SDE,
 * restated by Lu et al. 2022, "DPM-Solver", §2.1):
 * <pre>
 *   f  = d log α/dt   = α'/α
 *   g² = dσ²/dt − 2·f·σ² = 2σσ' − 2(α'/α)σ²
 * </pre>
 * On VP schedules f = −½β and g² = β (β = −d log ᾱ/dt), Song et al. 2021's VP SDE.
 */
public record Coefficients(double alpha, double sigma, double alphaPrime, double sigmaPrime) {

    /** f = d log α/dt = α'/α, the drift rate of the forward SDE (−∞ where α = 0). */
    public double drift() {
        return alphaPrime / alpha;
    }

    /**
     * g² = dσ²/dt − 2·f·σ², the squared diffusion rate of the forward SDE. Both terms are ≥ 0
     * on a path whose α falls and σ rises, so there is no cancellation.
     */
    public double diffusionSquared() {
        return 2 * sigma * sigmaPrime - 2 * drift() * sigma * sigma;
    }
}
