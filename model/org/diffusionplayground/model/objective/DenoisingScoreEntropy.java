package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The diffusion-weighted denoising score entropy of the uniform process as a loss on log
 * concrete scores (SEDD; Lou, Meng &amp; Ermon 2023, "Discrete diffusion modeling by estimating the
 * ratios of the data distribution", eq. 11 (the ELBO's L_DWDSE) with Q^uniform of §3.3). The
 * network's output ℓ at position i is log s_θ(x_t)_i, the estimated ratios p_t(x_t with x^i = y) /
 * p_t(x_t) for the N real tokens y (a last "mask" column, if present, is ignored). For the
 * uniform rate matrix Q = 11ᵀ/N − I, with σ̄ = σ̄(t), σ = σ̄′(t), x = x_t^i, x0 = x0^i:
 * <pre>
 *   L_i = σ · (1/N) · Σ_{y ≠ x} [ s_y − r_y·log s_y + K(r_y) ],   K(r) = r(log r − 1)
 *   r_y = p_t(y | x0)/p_t(x | x0) = (e^σ̄ − 1)/(e^σ̄ − 1 + N) for every y          if x = x0
 *                                 = (e^σ̄ − 1 + N)/(e^σ̄ − 1) for y = x0, 1 otherwise   if x ≠ x0
 * </pre>
 * (from exp(σ̄Q) = e^−σ̄·I + (1 − e^−σ̄)·11ᵀ/N: staying put has probability e^−σ̄ + (1 − e^−σ̄)/N
 * — the resample that lands on itself counted once — and each other token (1 − e^−σ̄)/N). K makes
 * every term ≥ 0 with equality at s = r. L = (1/(B·L)) Σ_b Σ_i L_i estimates the bound in nats per
 * character (the prior term at t = 1, KL to uniform, is below 1e-6 for σ̄(1) = 20 and left out).
 *
 * <p>Gradient: ∂L/∂ℓ_y = σ·(s_y − r_y)/(N·B·L) for y ≠ x, zero at y = x and in the mask column.
 */
public final class DenoisingScoreEntropy implements Loss {

    private final GeometricNoise noise;
    private final int tokens;

    /** @param tokens N, the real tokens (the output may carry one more, unused, column) */
    public DenoisingScoreEntropy(GeometricNoise noise, int tokens) {
        if (tokens < 2) throw new IllegalArgumentException("tokens (%d) must be ≥ 2".formatted(tokens));
        this.noise = noise;
        this.tokens = tokens;
    }

    /**
     * @param out  log-scores [R, L, C] with C = N or N + 1
     * @param rows input x_t [R, L], target x0 [R, L], t [R]
     */
    @Override
    public double apply(INDArray out, Batch rows, int total, INDArray dOut) {
        int n = tokens;
        if (out.rank() != 3 || (out.size(2) != n && out.size(2) != n + 1)) throw new IllegalArgumentException(
                "log-scores must be [R, L, %d or %d], got %s".formatted(n, n + 1, java.util.Arrays.toString(out.shape())));
        int r = (int) out.size(0), length = (int) out.size(1), columns = (int) out.size(2);
        int[] xt = MaskedCrossEntropy.ids(rows.input(), r * length, "input"), x0 = MaskedCrossEntropy.ids(rows.target(), r * length, "target");
        float[] z = HeapArrays.floats(out), t = HeapArrays.floats(rows.t());
        float[] d = new float[z.length];
        double scale = 1.0 / ((double) total * length), loss = 0;
        for (int b = 0; b < r; b++) {
            double total_ = noise.totalNoise(t[b]), em1 = Math.expm1(total_), weight = noise.rate(t[b]) / n;
            double stay = em1 / (em1 + n), jump = (em1 + n) / em1; // r when x = x0; r at x0 when x ≠ x0
            double kStay = stay * (Math.log(stay) - 1), kJump = jump * (Math.log(jump) - 1);
            double sum = 0;
            for (int i = 0; i < length; i++) {
                int p = b * length + i, x = xt[p], clean = x0[p], base = p * columns;
                if (x < 0 || x >= n || clean < 0 || clean >= n) throw new IllegalArgumentException(
                        "ids at row %d, position %d (x_t %d, x0 %d) must be characters 0…%d".formatted(b, i, x, clean, n - 1));
                for (int y = 0; y < n; y++) {
                    if (y == x) continue;
                    double ratio = x == clean ? stay : y == clean ? jump : 1, k = x == clean ? kStay : y == clean ? kJump : -1;
                    double l = z[base + y], s = Math.exp(l);
                    sum += s - ratio * l + k;
                    d[base + y] = (float) (weight * (s - ratio) * scale);
                }
            }
            loss += weight * sum;
        }
        HeapArrays.write(d, dOut, d.length);
        return loss * scale;
    }
}
