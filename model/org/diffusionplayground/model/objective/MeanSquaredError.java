package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.LaneSums;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weighted mean squared error L = (1/B)·Σ_b w_b·mean_i (out_bi − target_bi)², DDPM's
 * "simple" loss (Ho et al. 2020, "Denoising diffusion probabilistic models", eq. 14) with a
 * per-example weight w_b (min-SNR-γ, Hang et al. 2023; 1 when the batch has none), and the
 * conditional flow-matching loss when the target is a velocity (Lipman et al. 2023, eq. 9).
 * Its gradient is ∂L/∂out_bi = 2·w_b·(out_bi − target_bi)/(B·n), n values per example.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public double apply(INDArray out, Batch rows, int total, INDArray dOut) {
        int r = (int) out.size(0), n = (int) out.length(), per = n / r;
        float[] o = HeapArrays.floats(out), y = HeapArrays.floats(rows.target()), d = new float[n];
        float[] w = rows.weight() == null ? null : HeapArrays.floats(rows.weight());
        if (y.length != n) throw new IllegalArgumentException(
                "target has %d values, the output %d".formatted(y.length, n));
        double loss = 0;
        for (int p = 0; p < n; p++) d[p] = o[p] - y[p]; // the errors, then scaled in place: loops C2 vectorises
        for (int i = 0; i < r; i++) {
            float wi = w == null ? 1f : w[i], scale = 2f * wi / ((float) total * per);
            loss += wi * LaneSums.dot(d, i * per, d, i * per, per) / per;
            for (int p = i * per; p < (i + 1) * per; p++) d[p] *= scale;
        }
        HeapArrays.write(d, dOut, n);
        return loss / total;
    }
}
