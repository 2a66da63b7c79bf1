package org.diffusionplayground.model.sampling.tokens;

import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euler τ-leaping for the uniform process (SEDD; Lou, Meng &amp; Ermon 2023, "Discrete diffusion
 * modeling by estimating the ratios of the data distribution", eq. 14 and §4.2; the "Euler"
 * predictor of its code): the reverse rate from x to y ≠ x is σ(t)·Q(y, x)·s_y = σ(t)·s_y/N, so
 * over a step of length t − s each position moves
 * <pre>
 *   to y ≠ x with probability (t − s)·σ(t)·s_y/N,   stays with 1 − Σ_{y≠x} of them
 * </pre>
 * (clipped at 0 and renormalised when a large step makes the stay negative). The final step to
 * s = 0 is {@link UniformTweedie}'s denoiser, as SEDD's sampler ends with one.
 */
public final class UniformEuler implements TokenSampler {

    private final GeometricNoise schedule;
    private final Noise noise;

    public UniformEuler(GeometricNoise schedule, Noise noise) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        if (s <= 0) return new UniformTweedie(schedule, noise).step(model, tokens, t, s);
        INDArray logits = model.logits(tokens, t);
        double rate = (t - s) * schedule.rate(t);
        return new Step(UniformTweedie.move(tokens, logits, noise, (ratios, x, p) -> {
            int n = ratios.length;
            double leave = 0;
            for (int y = 0; y < n; y++) {
                p[y] = y == x ? 0 : rate * ratios[y] / n;
                leave += p[y];
            }
            p[x] = Math.max(0, 1 - leave);
        }), logits);
    }
}
