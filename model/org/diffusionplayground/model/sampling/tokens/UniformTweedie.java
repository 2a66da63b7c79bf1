package org.diffusionplayground.model.sampling.tokens;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tweedie τ-leaping for the uniform process (SEDD; Lou, Meng &amp; Ermon 2023, "Discrete diffusion
 * modeling by estimating the ratios of the data distribution", Theorem 4.2 and §4.2): each
 * position moves from x = z_t^i to y with probability proportional to
 * <pre>
 *   [exp(−Δ·Q)·s]_y · exp(Δ·Q)(x, y),   Δ = σ̄(t) − σ̄(s)
 *   exp(−Δ·Q)·s = e^Δ·s + (1 − e^Δ)/N · Σ_z s_z,   exp(Δ·Q)(x, y) = e^−Δ·1[y = x] + (1 − e^−Δ)/N
 * </pre>
 * for Q = 11ᵀ/N − I, with the model's ratios s_y = exp(log-score_y) and s_x = 1 (the ratio of
 * x_t to itself; the network's value there is ignored, as in SEDD's code). Negative entries
 * (the inverse transition is not a stochastic matrix) are clipped to 0. Exact, for exact scores,
 * when positions are independent; otherwise exact per position given the others.
 */
public final class UniformTweedie implements TokenSampler {

    private final GeometricNoise schedule;
    private final Noise noise;

    public UniformTweedie(GeometricNoise schedule, Noise noise) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    /** The prior z_1 [B, L]: every position uniform over the {@code vocabulary} tokens. */
    public static INDArray uniformPrior(int batch, int length, int vocabulary, Noise noise) {
        if (batch < 1 || length < 1) throw new IllegalArgumentException("need batch (%d) and length (%d) ≥ 1".formatted(batch, length));
        int[] z = new int[batch * length];
        for (int i = 0; i < z.length; i++) z[i] = noise.nextInt(vocabulary);
        return Nd4j.createFromArray(z).reshape(batch, length);
    }

    @Override
    public Step step(TokenModelFn model, INDArray tokens, double t, double s) {
        INDArray logits = model.logits(tokens, t);
        double delta = schedule.totalNoise(t) - schedule.totalNoise(s);
        return new Step(move(tokens, logits, noise, (ratios, x, p) -> probabilities(ratios, x, delta, p)), logits);
    }

    /** The unnormalised move probabilities p[0, N) of a position at x with ratios s (s_x = 1). */
    static void probabilities(double[] s, int x, double delta, double[] p) {
        int n = s.length;
        double sum = 0;
        for (double v : s) sum += v;
        double grow = Math.exp(delta), stay = Math.exp(-delta);
        for (int y = 0; y < n; y++) {
            double staggered = grow * s[y] + (1 - grow) / n * sum;
            p[y] = Math.max(0, staggered) * ((y == x ? stay : 0) + (1 - stay) / n);
        }
    }

    /** How a sampler weighs the moves of one position. */
    interface Rule {
        void apply(double[] ratios, int x, double[] p);
    }

    /** Every position of z_t moved by {@code rule} on the model's ratios, one uniform each, row-major. */
    static INDArray move(INDArray tokens, INDArray logScores, Noise noise, Rule rule) {
        int b = (int) tokens.size(0), l = (int) tokens.size(1), n = (int) logScores.size(2);
        int[] z = HeapArrays.ints(tokens);
        double[] lg = HeapArrays.doubles(logScores);
        double[] ratios = new double[n], p = new double[n];
        for (int i = 0; i < b * l; i++) {
            int x = z[i];
            for (int y = 0; y < n; y++) ratios[y] = y == x ? 1 : Math.exp(Math.min(50, lg[i * n + y]));
            rule.apply(ratios, x, p);
            double total = 0;
            for (int y = 0; y < n; y++) total += p[y];
            if (!(total > 0 && Double.isFinite(total))) throw new IllegalStateException(
                    "the scores at position %d give no move a finite positive probability".formatted(i % l));
            for (int y = 0; y < n; y++) p[y] /= total;
            z[i] = TokenFilter.draw(p, n, noise.uniform());
        }
        return Nd4j.createFromArray(z).reshape(b, l);
    }
}
