package org.diffusionplayground.model.schedule;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a denoiser predicts, and the conversions between the three (seed 003, eqs. 11–15;
 * Salimans &amp; Ho 2022, "Progressive distillation", §4 for v):
 * <pre>
 *   x_t = α·x0 + σ·ε,   v = α·ε − σ·x0
 *   x0 = (x_t − σ·ε)/α = α·x_t − σ·v
 *   ε  = (x_t − α·x0)/σ = σ·x_t + α·v
 * </pre>
 */
public enum Parameterization {
    EPS, V, X0;

    /** ε̂ from this parameterisation's output at (α, σ). */
    public INDArray toEps(INDArray output, INDArray x, double alpha, double sigma) {
        return switch (this) {
            case EPS -> output;
            case V -> x.mul(sigma).addi(output.mul(alpha));
            case X0 -> x.sub(output.mul(alpha)).divi(sigma);
        };
    }

    /** x̂0 from this parameterisation's output at (α, σ). */
    public INDArray toX0(INDArray output, INDArray x, double alpha, double sigma) {
        return switch (this) {
            case EPS -> x.sub(output.mul(sigma)).divi(alpha);
            case V -> x.mul(alpha).subi(output.mul(sigma));
            case X0 -> output;
        };
    }

    /** The training target of this parameterisation for clean x0 and noise ε. */
    public INDArray target(INDArray x0, INDArray eps, double alpha, double sigma) {
        return switch (this) {
            case EPS -> eps;
            case V -> eps.mul(alpha).subi(x0.mul(sigma));
            case X0 -> x0;
        };
    }
}
