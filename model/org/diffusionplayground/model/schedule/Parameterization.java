package org.diffusionplayground.model.schedule;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a denoiser predicts, and the conversions between all four, written once. Each output is
 * a fixed linear combination of the clean data and the noise at (α, σ, α', σ'):
 * <pre>
 *   x_t    = α·x0 + σ·ε                               (the path)
 *   output = a·x0 + b·ε                               (this parameterisation's row)
 *     EPS  a = 0,   b = 1      ε (Ho et al. 2020)
 *     X0   a = 1,   b = 0      x0
 *     V    a = −σ,  b = α      v = α·ε − σ·x0 (Salimans &amp; Ho 2022, "Progressive distillation", §4)
 *     U    a = α',  b = σ'     u = α'·x0 + σ'·ε, the flow velocity ẋ_t (Lipman et al. 2023,
 *                              "Flow matching for generative modeling", Theorem 3; de Freitas
 *                              2026, "Diffusion and flow matching tutorial", eq. 32); on the
 *                              linear interpolant u = ε − x0
 * </pre>
 * Given x_t and an output, the two rows are solved for (x0, ε); with D = α·b − σ·a:
 * <pre>
 *   x0 = (b·x_t − σ·output)/D,   ε = (α·output − a·x_t)/D
 * </pre>
 * For V on a VP schedule D = α² + σ² = 1 and these are Salimans &amp; Ho's x0 = α·x_t − σ·v and
 * ε = σ·x_t + α·v (de Freitas 2026, eqs. 14–15). Off VP, v keeps its defining formula
 * v = α·ε − σ·x0; it is then no longer the angular velocity dx_t/dφ of Salimans &amp; Ho
 * (φ = atan(σ/α)), and D = α² + σ² ≠ 1 is kept. For U, D = α·σ' − σ·α' = −α·σ·dλ/dt/2 &gt; 0
 * on every path whose λ falls, so u converts at both ends, t = 0 and the interpolant's t = 1;
 * its ε row is de Freitas 2026, eq. 35, times −σ (the score is −ε/σ). EPS cannot give x0 where
 * α = 0, nor X0 give ε where σ = 0.
 */
public enum Parameterization {
    EPS, V, X0, U;

    /** a: the weight of x0 in this output. */
    public double x0Weight(Coefficients c) {
        return switch (this) {
            case EPS -> 0;
            case X0 -> 1;
            case V -> -c.sigma();
            case U -> c.alphaPrime();
        };
    }

    /** b: the weight of ε in this output. */
    public double epsWeight(Coefficients c) {
        return switch (this) {
            case EPS -> 1;
            case X0 -> 0;
            case V -> c.alpha();
            case U -> c.sigmaPrime();
        };
    }

    /** The output this parameterisation gives for clean x0 and noise ε: a·x0 + b·ε. */
    public INDArray target(INDArray x0, INDArray eps, Coefficients c) {
        return switch (this) {
            case EPS -> eps;
            case X0 -> x0;
            default -> x0.mul(x0Weight(c)).addi(eps.mul(epsWeight(c)));
        };
    }

    /** x̂0 from this parameterisation's output at x_t: (b·x_t − σ·output)/D. */
    public INDArray toX0(INDArray output, INDArray x, Coefficients c) {
        if (this == X0) return output;
        return x.mul(epsWeight(c)).subi(output.mul(c.sigma())).divi(determinant(c));
    }

    /** ε̂ from this parameterisation's output at x_t: (α·output − a·x_t)/D. */
    public INDArray toEps(INDArray output, INDArray x, Coefficients c) {
        if (this == EPS) return output;
        return output.mul(c.alpha()).subi(x.mul(x0Weight(c))).divi(determinant(c));
    }

    /** This output re-expressed as {@code other}'s, through (x̂0, ε̂). */
    public INDArray convert(INDArray output, INDArray x, Coefficients c, Parameterization other) {
        if (other == this) return output;
        return other.target(toX0(output, x, c), toEps(output, x, c), c);
    }

    /**
     * The score ∇_x log p_t(x) this output implies: −ε̂/σ (Vincent 2011, "A connection between
     * score matching and denoising autoencoders"; Song et al. 2021, "Score-based generative modeling
     * through SDEs", eq. 5 and App. C). With {@link #fromScore} this is the score–velocity relation
     * of de Freitas 2026, "Diffusion and flow matching tutorial", §7.4 (eq. 35): for U,
     * score = (α·û − α'·x)/(σ·(σ·α' − α·σ')), and back û = (α'/α)·x + σ·(σ·α'/α − σ')·score.
     * Undefined where σ = 0 (t = 0).
     */
    public INDArray toScore(INDArray output, INDArray x, Coefficients c) {
        if (c.sigma() == 0) throw new IllegalArgumentException("the score is −ε/σ, undefined at σ = 0");
        return toEps(output, x, c).muli(-1 / c.sigma());
    }

    /**
     * This parameterisation's output given the score at x_t: through ε̂ = −σ·score and x̂0 =
     * (x − σ·ε̂)/α. Where α = 0 (the linear interpolant's t = 1, p_1 = N(0, I)) the score is −x
     * whatever the data, so it determines neither x̂0 nor û: refused there.
     */
    public INDArray fromScore(INDArray score, INDArray x, Coefficients c) {
        return EPS.convert(score.mul(-c.sigma()), x, c, this);
    }

    /** D = α·b − σ·a, the determinant of the rows of x_t and of this output; never 0. */
    private double determinant(Coefficients c) {
        double d = c.alpha() * epsWeight(c) - c.sigma() * x0Weight(c);
        if (d == 0) throw new IllegalArgumentException(
                "a %s output does not determine x0 and ε at α = %s, σ = %s".formatted(this, c.alpha(), c.sigma()));
        return d;
    }
}
