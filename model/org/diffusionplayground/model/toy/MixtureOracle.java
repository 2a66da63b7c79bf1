package org.diffusionplayground.model.toy;

import java.util.Arrays;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * Vectorised over the batch in x's dtype: a few [B, K] ops per call.
 */
final class MixtureOracle implements Denoiser {

    private static final double MASKED = -1e30; // a logit exp() sends to 0, with no ∞ − ∞ = NaN

    private final GaussianMixture mixture;
    private final GaussianPath schedule;
    private final Parameterization parameterization;
    private final INDArray means;       // [K, 2], double
    private final double[] logWeights;  // [K]
    private final double[] stds2;       // [K], s_k²

    MixtureOracle(GaussianMixture mixture, GaussianPath schedule, Parameterization parameterization) {
        this.mixture = mixture;
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
        this.parameterization = java.util.Objects.requireNonNull(parameterization, "parameterization");
        this.means = Nd4j.create(mixture.means());
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
        // x [B, 2]; cond [B] or null. α, σ at t; v_k = α²s_k² + σ².
        // 1. logits_bk = log w_k − log(2π v_k) − ‖x_b − α μ_k‖²/(2 v_k)   (+ −∞ off the class)
        // 2. r = softmax over k (max-subtracted: log-sum-exp)
        // 3. ε̂ = σ·(x·Σ_k r_k/v_k − α·Σ_k (r_k/v_k)·μ_k)
        // 4. other parameterisations: x̂0 = α·x·Σ_k r_k·s_k²/v_k + σ²·Σ_k (r_k/v_k)·μ_k, then a·x̂0 + b·ε̂
        if (x.rank() != 2 || x.size(1) != 2) {
            throw new IllegalArgumentException("x must be [B, 2], got " + Arrays.toString(x.shape()));
        }
        DataType dt = x.dataType();
        int k = mixture.components();
        long b = x.size(0);
        double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        double[] invVar = new double[k], bias = new double[k], gain = new double[k];
        for (int i = 0; i < k; i++) {
            double v = alpha * alpha * stds2[i] + sigma * sigma;
            invVar[i] = 1 / v;
            gain[i] = stds2[i] / v;
            bias[i] = logWeights[i] - Math.log(2 * Math.PI * v);
        }
        INDArray mu = means.castTo(dt);                                   // [K, 2]
        INDArray muNorm2 = mu.mul(mu).sum(1);                             // [K]
        INDArray halfInvVar = Nd4j.create(invVar).castTo(dt).muli(0.5);  // [K]
        // ‖x − αμ‖² = ‖x‖² − 2α x·μ + α²‖μ‖²
        INDArray sqDist = x.mmul(mu.transpose()).muli(-2 * alpha)         // [B, K]
                .addiColumnVector(x.mul(x).sum(1).reshape(b, 1))
                .addiRowVector(muNorm2.muli(alpha * alpha));
        INDArray logits = sqDist.mulRowVector(halfInvVar).negi().addiRowVector(Nd4j.create(bias).castTo(dt));
        if (cond != null) logits.addi(classMask(cond, b, k).castTo(dt));
        logits.subiColumnVector(logits.max(1).reshape(b, 1));
        INDArray r = Transforms.exp(logits, false);
        r.diviColumnVector(r.sum(1).reshape(b, 1));                      // [B, K]
        INDArray x0Gain = parameterization == Parameterization.EPS ? null // [B, 1]: Σ_k r_k·s_k²/v_k
                : r.mulRowVector(Nd4j.create(gain).castTo(dt)).sum(1).reshape(b, 1);
        INDArray rOverV = r.muliRowVector(Nd4j.create(invVar).castTo(dt)); // [B, K], owned
        INDArray weightedMeans = rOverV.mmul(mu);                          // [B, 2]: Σ_k (r_k/v_k)·μ_k
        INDArray eps = x.mulColumnVector(rOverV.sum(1).reshape(b, 1))     // [B, 2]
                .subi(weightedMeans.mul(alpha)).muli(sigma);
        if (parameterization == Parameterization.EPS) return eps;
        INDArray x0 = x.mulColumnVector(x0Gain).muli(alpha).addi(weightedMeans.muli(sigma * sigma));
        return parameterization.target(x0, eps, schedule.coefficients(t));
    }

    /** 0 where class c allows component k, MASKED elsewhere; [B, K]. */
    private static INDArray classMask(INDArray cond, long b, int k) {
        if (cond.length() != b) {
            throw new IllegalArgumentException("cond has %d labels for a batch of %d".formatted(cond.length(), b));
        }
        double[] labels = cond.castTo(DataType.DOUBLE).reshape(b).toDoubleVector();
        double[] mask = new double[Math.toIntExact(b * k)];
        for (int row = 0; row < b; row++) {
            double c = labels[row];
            if (c == k) continue; // the null class: the whole mixture
            if (!(c >= 0 && c < k && c == Math.rint(c))) {
                throw new IllegalArgumentException("class label %s must be an integer in [0, %d]".formatted(c, k));
            }
            Arrays.fill(mask, row * k, (row + 1) * k, MASKED);
            mask[row * k + (int) c] = 0;
        }
        return Nd4j.create(mask, new long[] {b, k}, DataType.DOUBLE);
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
