package org.diffusionplayground.model.eval;

import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.objective.TextDiffusion;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A discrete diffusion model's bound on held-out text in bits per character (MDLM; Sahoo et al.
 * 2024, "Simple and effective masked diffusion language models", eq. 10 and §4.1, which report it
 * as perplexity; SEDD, Lou et al. 2023, eq. 11 for the uniform process): for each validation window
 * x0 and a time t, the {@code TextDiffusion} batch and its loss give an unbiased estimate of the
 * negative ELBO in nats per character; averaged over the
 * windows and over {@code draws} independent Monte Carlo draws of (t, mask), divided by ln 2.
 *
 * <p>The windows are the non-overlapping windows of the validation split, in order. Within one
 * draw the windows' times are low-discrepancy (one per stratum of [ε, 1], strata shuffled over the
 * windows), as in training. The spread of the per-draw figures gives the standard error of the
 * mean, so a caller can say how stable the reported figure is.
 *
 * <p>An exact objective ({@link TextDiffusion#exact()}: the left-to-right model's −log p) has
 * nothing to draw: it is evaluated once, whatever {@code draws} says, and its figure is the
 * model's negative log-likelihood of the windows rather than a bound.
 */
public final class BitsPerCharacter {

    /** The network under evaluation: logits [B, L, V+1] for tokens x_t [B, L] at times t [B]. */
    @FunctionalInterface
    public interface Logits {
        INDArray of(INDArray tokens, INDArray t);
    }

    /**
     * @param perDraw the bound of each draw, bits/char
     * @param windows windows evaluated per draw
     */
    public record Result(List<Double> perDraw, int windows) {

        public double mean() {
            return perDraw.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
        }

        /** Standard error of {@link #mean()}: the draws' standard deviation / √draws (NaN for one draw). */
        public double standardError() {
            int k = perDraw.size();
            if (k < 2) return Double.NaN;
            double m = mean(), ss = 0;
            for (double d : perDraw) ss += (d - m) * (d - m);
            return Math.sqrt(ss / (k - 1) / k);
        }
    }

    private BitsPerCharacter() {
    }

    /**
     * The bound of {@code net} on the first {@code windows} validation windows (all when ≤ 0),
     * {@code draws} Monte Carlo draws (one for an exact objective), {@code batch} windows per forward pass.
     */
    public static Result evaluate(Logits net, TextDiffusion objective, int windows, int draws, int batch, long seed) {
        if (draws < 1 || batch < 1) throw new IllegalArgumentException("draws (%d) and batch (%d) must be ≥ 1".formatted(draws, batch));
        TextCorpus corpus = objective.corpus();
        int l = objective.length(), available = corpus.validationLength() / l;
        int n = windows <= 0 ? available : Math.min(windows, available);
        if (n < 1) throw new IllegalArgumentException("the validation split (%d characters) holds no window of %d"
                .formatted(corpus.validationLength(), l));
        int[] x0 = new int[n * l];
        for (int w = 0; w < n; w++) corpus.validationWindow(w * l, l, x0, w * l);
        List<Double> perDraw = new ArrayList<>();
        Noise noise = new Noise(seed);
        for (int d = 0; d < (objective.exact() ? 1 : draws); d++) {
            float[] t = shuffled(TextDiffusion.times(noise, n), noise);
            double nats = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch), b = to - from;
                int[] rows = new int[b * l];
                System.arraycopy(x0, from * l, rows, 0, b * l);
                float[] times = new float[b];
                System.arraycopy(t, from, times, 0, b);
                Batch masked = objective.noised(rows, times, noise);
                INDArray logits = net.of(masked.input(), masked.t());
                // the loss's mean is over `total` rows: passing n sums this part's share of the draw's mean
                nats += objective.loss().apply(logits, masked, n, Nd4j.create(DataType.FLOAT, logits.shape()));
            }
            perDraw.add(nats / Math.log(2));
        }
        return new Result(List.copyOf(perDraw), n);
    }

    /** Fisher–Yates, so the strata of t fall on the windows at random. */
    private static float[] shuffled(float[] t, Noise noise) {
        for (int i = t.length - 1; i > 0; i--) {
            int j = noise.nextInt(i + 1);
            float tmp = t[i];
            t[i] = t[j];
            t[j] = tmp;
        }
        return t;
    }
}
