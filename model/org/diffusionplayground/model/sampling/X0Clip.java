package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import java.util.Locale;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeping the model's x̂0 inside the data range [−1, 1] while sampling:
 * <ul>
 *   <li>{@link #STATIC}: clip x̂0 to [−1, 1], as DDPM's reference sampler does ({@code
 *       clip_denoised}; "static thresholding" in Saharia et al. 2022, §2.3);</li>
 *   <li>{@link #DYNAMIC}: per sample, s = max(1, the 99.5th percentile of |x̂0|), then x̂0 ←
 *       clip(x̂0, −s, s)/s (Saharia et al. 2022, §2.3, "dynamic thresholding"; Lu et al. 2022b,
 *       §4, recommend it for DPM-Solver++ with large guidance).</li>
 * </ul>
 * Either wraps a {@link Denoiser} (after guidance, so the guided x̂0 is the one clipped) and
 * re-expresses its output from the clipped x̂0 and the noise it implies at this x_t,
 * ε' = (x_t − α·x̂0')/σ, through {@link Parameterization}'s conversions, so every sampler —
 * whether it steps with x̂0, ε, v or u — sees the same clipped prediction, on any path. Most
 * useful for ε-models, whose x̂0 = (x − σ·ε̂)/α magnifies ε̂'s error by σ/α (~160 at t = 1 on
 * DDPM's linear schedule).
 */
public enum X0Clip {
    NONE, STATIC, DYNAMIC;

    /** Dynamic thresholding's percentile (Saharia et al. 2022 use p = 99.5%). */
    public static final double PERCENTILE = 0.995;

    /** The CLI name: none, static, dynamic. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By CLI name; the message lists the valid ones. */
    public static X0Clip parse(String name) {
        for (X0Clip c : values()) if (c.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) return c;
        throw new IllegalArgumentException("x0 clipping ('%s') must be one of none, static, dynamic".formatted(name));
    }

    /** {@code denoiser} with this clipping (itself for NONE). */
    public Denoiser wrap(Denoiser denoiser) {
        return this == NONE ? denoiser : new Clipped(denoiser, this);
    }

    /** x̂0 [B, …] clipped as this mode says (a new array). */
    public INDArray apply(INDArray x0) {
        if (this == NONE) return x0.dup();
        double[] v = HeapArrays.doubles(x0);
        int rows = (int) x0.size(0), n = v.length / rows;
        double[] magnitudes = new double[n];
        for (int r = 0; r < rows; r++) {
            double s = 1;
            if (this == DYNAMIC) {
                for (int i = 0; i < n; i++) magnitudes[i] = Math.abs(v[r * n + i]);
                Arrays.sort(magnitudes);
                s = Math.max(1, magnitudes[(int) Math.min(n - 1, Math.floor(PERCENTILE * n))]);
            }
            for (int i = r * n; i < (r + 1) * n; i++) v[i] = Math.max(-s, Math.min(s, v[i])) / s;
        }
        return Nd4j.create(v, x0.shape(), 'c').castTo(x0.dataType());
    }

    private record Clipped(Denoiser inner, X0Clip mode) implements Denoiser {
        @Override
        public INDArray predict(INDArray x, double t, INDArray cond) {
            INDArray out = inner.predict(x, t, cond);
            Coefficients c = inner.schedule().coefficients(t);
            Parameterization kind = inner.parameterization();
            INDArray x0 = mode.apply(kind.toX0(out, x, c));
            INDArray eps = Parameterization.X0.toEps(x0, x.castTo(x0.dataType()), c);
            return kind.target(x0, eps, c);
        }

        @Override public Parameterization parameterization() { return inner.parameterization(); }

        @Override public GaussianPath schedule() { return inner.schedule(); }

        @Override public int nullClass() { return inner.nullClass(); }

        @Override public int numClasses() { return inner.numClasses(); }
    }
}
