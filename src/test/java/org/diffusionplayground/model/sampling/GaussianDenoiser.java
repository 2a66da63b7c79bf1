package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact denoiser for data x0 ~ N(μ, s²·I): x_t ~ N(α·μ, (α²s² + σ²)·I), so
 * E[ε | x_t] = σ·(x_t − α·μ)/(α²s² + σ²) (Gaussian conditioning: Cov(ε, x_t) = σ·I).
 */
record GaussianDenoiser(NoiseSchedule schedule, double mu, double s) implements Denoiser {

    @Override
    public INDArray predict(INDArray x, double t, INDArray cond) {
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        double variance = alpha * alpha * s * s + sigma * sigma;
        return x.sub(alpha * mu).muli(sigma / variance);
    }

    @Override
    public Parameterization parameterization() {
        return Parameterization.EPS;
    }

    /** E[x0 | x_t] = μ + α·s²·(x_t − α·μ)/(α²s² + σ²): the exact x̂0, what a final step to 0 returns. */
    INDArray posteriorMean(INDArray x, double t) {
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        return x.sub(alpha * mu).muli(alpha * s * s / (alpha * alpha * s * s + sigma * sigma)).addi(mu);
    }

    /**
     * The probability-flow ODE map from time 1 to time t, in closed form. In EDM variables
     * σ̃ = σ/α, x̃ = x/α the ODE is dx̃/dσ̃ = ε̂ = σ̃·(x̃ − μ)/(s² + σ̃²) (divide the ε̂ above by α²
     * top and bottom). With y = x̃ − μ: d log y/dσ̃ = σ̃/(s² + σ̃²), so y/√(s² + σ̃²) is constant
     * along a trajectory:
     * x_t = α_t·(μ + (x_1/α_1 − μ)·√(s² + σ̃_t²)/√(s² + σ̃_1²)), and at t = 0 (σ̃ = 0, α = 1)
     * x0 = μ + s·(x_1 − α_1·μ)/√(α_1²s² + σ_1²).
     */
    INDArray exactOdeMap(INDArray x1, double t) {
        double alpha1 = schedule.alpha(1.0), sigmaTilde1 = schedule.sigma(1.0) / alpha1;
        double alphaT = schedule.alpha(t), sigmaTildeT = schedule.sigma(t) / alphaT;
        double gain = Math.sqrt((s * s + sigmaTildeT * sigmaTildeT) / (s * s + sigmaTilde1 * sigmaTilde1));
        return x1.div(alpha1).subi(mu).muli(gain).addi(mu).muli(alphaT);
    }
}
