package org.diffusionplayground.model.sampling.tokens;

/**
 * How a sampler turns a position's logits into the distribution it draws from: temperature
 * (logits ÷ τ; τ = 0 is greedy, the most likely token), top-k (only the k most likely tokens;
 * Fan et al. 2018, "Hierarchical neural story generation") and top-p (the smallest set of most
 * likely tokens whose mass reaches p; Holtzman et al. 2020, "The curious case of neural text
 * degeneration"). The mask token never gets mass (SUBS).
 *
 * @param temperature τ ≥ 0 (1 leaves the model's distribution as it is)
 * @param topK        k ≥ 1, or 0 for no cut
 * @param topP        p ∈ (0, 1]; 1 for no cut
 */
public record TokenFilter(double temperature, int topK, double topP) {

    public TokenFilter {
        if (!(temperature >= 0 && temperature <= 100)) throw new IllegalArgumentException(
                "temperature (%s) must be in [0, 100]".formatted(temperature));
        if (topK < 0) throw new IllegalArgumentException("top-k (%d) must be ≥ 0 (0 = no cut)".formatted(topK));
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p (%s) must be in (0, 1]".formatted(topP));
    }

    /** The model's own distribution. */
    public static TokenFilter none() {
        return new TokenFilter(1, 0, 1);
    }

    /** "temperature 0.8, top-k 10, top-p 0.9": the settings that change the distribution ("" for none). */
    public String describe() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (temperature != 1) parts.add("temperature " + trim(temperature));
        if (topK > 0) parts.add("top-k " + topK);
        if (topP < 1) parts.add("top-p " + trim(topP));
        return String.join(", ", parts);
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    /** The top-p of {@link #defaults()}. */
    public static final double DEFAULT_TOP_P = 0.9;

    /**
     * What the app and the CLI draw with unless told otherwise: temperature 1, no top-k, top-p 0.9
     * — nucleus sampling, which cuts the unreliable tail of a model's distribution whose draws
     * derail a sample (Holtzman et al. 2020, §3.1). On the shipped masked model it raises the
     * share of real words written without making the samples repetitive (README, "Training the text models").
     */
    public static TokenFilter defaults() {
        return new TokenFilter(1, 0, DEFAULT_TOP_P);
    }

    /**
     * The filtered distribution of logits[from, from + v) without {@code exclude} (−1: none) into
     * p[0, v); returns p. Ties at the k-th or p-th place keep every tied token.
     */
    public double[] probabilities(double[] logits, int from, int v, int exclude, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        int best = -1;
        for (int k = 0; k < v; k++) {
            if (k != exclude && logits[from + k] > max) {
                max = logits[from + k];
                best = k;
            }
        }
        if (best < 0 || !Double.isFinite(max)) throw new IllegalStateException(
                "logits at position %d give no token a finite probability".formatted(from / v));
        if (temperature == 0) {
            java.util.Arrays.fill(p, 0, v, 0);
            p[best] = 1;
            return p;
        }
        double sum = 0;
        for (int k = 0; k < v; k++) {
            p[k] = k == exclude ? 0 : Math.exp((logits[from + k] - max) / temperature);
            sum += p[k];
        }
        for (int k = 0; k < v; k++) p[k] /= sum;
        if (topK > 0 && topK < v) cutBelow(p, v, kthLargest(p, v, topK));
        if (topP < 1) cutBelow(p, v, nucleusFloor(p, v, topP));
        return p;
    }

    /** The k-th largest of p[0, v). */
    private static double kthLargest(double[] p, int v, int k) {
        double[] sorted = java.util.Arrays.copyOf(p, v);
        java.util.Arrays.sort(sorted);
        return sorted[v - k];
    }

    /** The smallest probability inside the nucleus: the most likely tokens until their mass reaches {@code top}. */
    private static double nucleusFloor(double[] p, int v, double top) {
        double[] sorted = java.util.Arrays.copyOf(p, v);
        java.util.Arrays.sort(sorted);
        double mass = 0;
        for (int i = v - 1; i >= 0; i--) {
            mass += sorted[i];
            if (mass >= top) return sorted[i];
        }
        return 0;
    }

    /** Zeroes p below {@code floor} and renormalises. */
    private static void cutBelow(double[] p, int v, double floor) {
        double sum = 0;
        for (int k = 0; k < v; k++) {
            if (p[k] < floor) p[k] = 0;
            sum += p[k];
        }
        for (int k = 0; k < v; k++) p[k] /= sum;
    }

    /** The token at the inverse CDF of p[0, v) at u ∈ [0, 1). */
    static int draw(double[] p, int v, double u) {
        double cumulative = 0;
        int last = -1;
        for (int k = 0; k < v; k++) {
            if (p[k] <= 0) continue;
            cumulative += p[k];
            last = k;
            if (u < cumulative) return k;
        }
        return last;
    }
}
