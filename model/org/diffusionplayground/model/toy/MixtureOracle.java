package org.diffusionplayground.model.toy;

import java.util.Arrays;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact denoiser of a Gaussian mixture on any {@link GaussianPath}, so a sampler's error on
 * it is the sampler's alone. With x_t = α·x0 + σ·ε and x0 ~ Σ w_k N(μ_k, s_k²I), x_t is itself
 * a mixture with components N(α·μ_k, v_k·I), v_k = α²s_k² + σ². Bayes' rule and Gaussian
 * conditioning give
 * <pre>
 *   r_k(x)     ∝ w_k·N(x; α·μ_k, v_k·I)                                  (responsibilities)
 *   E[x0 | x]  = Σ_k r_k·(μ_k + (α·s_k²/v_k)·(x − α·μ_k)) = α·x·Σ_k r_k·s_k²/v_k + σ²·Σ_k (r_k/v_k)·μ_k
 *   E[ε | x]   = (x − α·E[x0 | x])/σ = σ·Σ_k r_k·(x − α·μ_k)/v_k = −σ·∇log p_t(x)
 * </pre>
 * The last forms (Tweedie's formula; Efron 2011, Song et al. 2021 eq. 5 for ε = −σ·score) are
 * the ones computed: no cancellation and no division by α or σ, so ε̂ stays exact as t → 0 and
 * x̂0 where α → 0. The oracle answers in its {@link Parameterization} — ε̂ by default, or
 * a·x̂0 + b·ε̂ for another (the flow velocity û = α'·x̂0 + σ'·ε̂ for a flow-matching oracle) —
 * built from both expectations, never by dividing one out of the other.
 *
 * <p>Conditioning: class k selects component k alone; the class {@link #nullClass()} = K (or a
 * null {@code cond}) means the whole mixture, so classifier-free guidance works on the oracle.
 * Computed in double, answered in x's dtype.
 */
final class MixtureOracle implements Denoiser {

    private final GaussianMixture mixture;
    private final GaussianPath schedule;
    private final Parameterization parameterization;
    private final double[] logWeights;  // [K]
    private final double[] stds2;       // [K], s_k²

    MixtureOracle(GaussianMixture mixture, GaussianPath schedule, Parameterization parameterization) {
        this.mixture = mixture;
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
        this.parameterization = java.util.Objects.requireNonNull(parameterization, "parameterization");
        int k = mixture.components();
        this.logWeights = new double[k];
        this.stds2 = new double[k];
        for (int i = 0; i < k; i++) {
            logWeights[i] = Math.log(mixture.weight(i));
            stds2[i] = mixture.std(i) * mixture.std(i);
        }
    }

    @Override
    public INDArray predict(INDArray x, double t, INDArray cond) {
        // x [B, 2]; cond [B] or null. α, σ at t; v_k = α²s_k² + σ². Row by row, in double:
        // 1. logits_k = log w_k − log(2π v_k) − ‖x − α μ_k‖²/(2 v_k)   (only the class's k when conditioned)
        // 2. r = softmax over k (max-subtracted: log-sum-exp)
        // 3. ε̂ = σ·(x·Σ_k r_k/v_k − α·Σ_k (r_k/v_k)·μ_k)
        // 4. x̂0 = α·x·Σ_k r_k·s_k²/v_k + σ²·Σ_k (r_k/v_k)·μ_k; the output a·x̂0 + b·ε̂
        // Plain loops: a call is B·K multiply-adds, which ND4J's ~20 small ops per call cost 10–100× more than.
        if (x.rank() != 2 || x.size(1) != 2) {
            throw new IllegalArgumentException("x must be [B, 2], got " + Arrays.toString(x.shape()));
        }
        int k = mixture.components(), b = Math.toIntExact(x.size(0));
        int[] classes = classes(cond, b, k);
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        double[] invVar = new double[k], bias = new double[k], gain = new double[k];
        double[][] means = mixture.means();
        for (int i = 0; i < k; i++) {
            double v = alpha * alpha * stds2[i] + sigma * sigma;
            invVar[i] = 1 / v;
            gain[i] = stds2[i] / v;
            bias[i] = logWeights[i] - Math.log(2 * Math.PI * v);
        }
        double wX0 = 0, wEps = 1; // ε̂; other outputs weigh x̂0 and ε̂ by the schedule's coefficients at t
        if (parameterization != Parameterization.EPS) {
            var c = schedule.coefficients(t);
            wX0 = parameterization.x0Weight(c);
            wEps = parameterization.epsWeight(c);
        }
        double[] xy = HeapArrays.doubles(x), out = new double[xy.length], logits = new double[k];
        for (int row = 0; row < b; row++) {
            double px = xy[2 * row], py = xy[2 * row + 1];
            int from = classes[row] < 0 ? 0 : classes[row], to = classes[row] < 0 ? k : classes[row] + 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                double dx = px - alpha * means[i][0], dy = py - alpha * means[i][1];
                logits[i] = bias[i] - 0.5 * invVar[i] * (dx * dx + dy * dy);
                max = Math.max(max, logits[i]);
            }
            double total = 0, overV = 0, x0Gain = 0, mx = 0, my = 0;
            for (int i = from; i < to; i++) {
                double r = Math.exp(logits[i] - max);
                total += r;
                overV += r * invVar[i];
                x0Gain += r * gain[i];
                mx += r * invVar[i] * means[i][0];
                my += r * invVar[i] * means[i][1];
            }
            overV /= total;
            x0Gain /= total;
            mx /= total;
            my /= total;
            double epsX = sigma * (px * overV - alpha * mx), epsY = sigma * (py * overV - alpha * my);
            double x0X = alpha * px * x0Gain + sigma * sigma * mx, x0Y = alpha * py * x0Gain + sigma * sigma * my;
            out[2 * row] = wX0 * x0X + wEps * epsX;
            out[2 * row + 1] = wX0 * x0Y + wEps * epsY;
        }
        return Nd4j.create(out, new long[] {b, 2}, DataType.DOUBLE).castTo(x.dataType());
    }

    /** Each row's class, or −1 for the whole mixture (null cond, or the null class K). */
    private static int[] classes(INDArray cond, int b, int k) {
        int[] classes = new int[b];
        Arrays.fill(classes, -1);
        if (cond == null) return classes;
        if (cond.length() != b) {
            throw new IllegalArgumentException("cond has %d labels for a batch of %d".formatted(cond.length(), b));
        }
        double[] labels = HeapArrays.doubles(cond);
        for (int row = 0; row < b; row++) {
            double c = labels[row];
            if (c == k) continue; // the null class: the whole mixture
            if (!(c >= 0 && c < k && c == Math.rint(c))) {
                throw new IllegalArgumentException("class label %s must be an integer in [0, %d]".formatted(c, k));
            }
            classes[row] = (int) c;
        }
        return classes;
    }

    @Override public Parameterization parameterization() { return parameterization; }

    @Override public GaussianPath schedule() { return schedule; }

    /** K: the label meaning "whole mixture". */
    @Override public int nullClass() { return mixture.components(); }

    @Override public int numClasses() { return mixture.components(); }

    @Override public String toString() {
        String kind = parameterization == Parameterization.EPS ? "" : ", " + parameterization;
        return "oracle(" + mixture + ", " + schedule + kind + ")";
    }
}
