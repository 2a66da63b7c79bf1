package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, "Classifier-free diffusion guidance", eq. 6)
 * around a conditional denoiser, in the convention of diffusers' {@code guidance_scale}:
 * ε̃ = ε_∅ + w·(ε_c − ε_∅), so w = 1 is the plain conditional model, w = 0 the unconditional one
 * and w &gt; 1 pushes towards the class.
 *
 * <p>Ho &amp; Salimans' eq. 6 writes ε̃ = (1 + w′)·ε_c − w′·ε_∅; the two agree for w′ = w − 1
 * (so w′ = 0, not w′ = −1, is the plain conditional model).
 *
 * <p>The conditional and the null-class passes run as one batch of 2B. The guided model is
 * itself a {@link Denoiser}, so every sampler uses it unchanged.
 */
public final class ClassifierFreeGuidance implements Denoiser {

    private final Denoiser conditional;
    private final double weight;

    /** @param weight guidance weight w ≥ 0 (1 = no guidance) */
    public ClassifierFreeGuidance(Denoiser conditional, double weight) {
        if (conditional.nullClass() < 0) {
            throw new IllegalArgumentException("model has no null class; it cannot be guided");
        }
        if (!(weight >= 0 && Double.isFinite(weight))) {
            throw new IllegalArgumentException("guidance weight (%s) must be finite and ≥ 0".formatted(weight));
        }
        this.conditional = conditional;
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    /**
     * The guided output for labels {@code cond} [B]; with cond = null the unconditional output.
     * w = 1 and w = 0 need only one of the two passes and skip the other.
     */
    @Override
    public INDArray predict(INDArray x, double t, INDArray cond) {
        if (cond == null) return conditional.predict(x, t, null);
        INDArray nullLabels = Nd4j.valueArrayOf(cond.shape(), conditional.nullClass(), cond.dataType());
        if (weight == 1) return conditional.predict(x, t, cond);
        if (weight == 0) return conditional.predict(x, t, nullLabels);
        long b = x.size(0);
        // both passes in one batch: rows [0, B) conditional, [B, 2B) unconditional
        INDArray both = conditional.predict(Nd4j.concat(0, x, x), t, Nd4j.concat(0, cond, nullLabels));
        INDArray outCond = both.get(NDArrayIndex.interval(0, b));
        INDArray outNull = both.get(NDArrayIndex.interval(b, 2 * b));
        // The combination is applied to the raw output, whatever the parameterisation: ε, v, x0
        // and u are affine functions of one another at fixed (x_t, t) (Parameterization: e.g.
        // ε = (x_t − α·x0)/σ, ε = (α·u − α'·x_t)/(α·σ' − σ·α')), and the weights (1 − w) and w
        // sum to 1, so combining v̂, x̂0 or û gives exactly the v̂, x̂0 or û of the combined ε̂.
        // Written as (1 − w)·out_∅ + w·out_c rather than out_∅ + w·(out_c − out_∅): the same
        // number, and w = 1 or 0 reproduce a pass exactly.
        return outNull.mul(1 - weight).addi(outCond.mul(weight));
    }

    @Override
    public Parameterization parameterization() {
        return conditional.parameterization();
    }

    @Override
    public GaussianPath schedule() {
        return conditional.schedule();
    }

    @Override
    public int nullClass() {
        return conditional.nullClass();
    }

    @Override
    public int numClasses() {
        return conditional.numClasses();
    }
}
