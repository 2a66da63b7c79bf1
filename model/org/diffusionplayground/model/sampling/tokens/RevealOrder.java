package org.diffusionplayground.model.sampling.tokens;

/**
 * Which masked positions a planned sampler reveals first: the ones with the highest score.
 * <ul>
 *   <li>{@link #RANDOM} — a uniform random order (MDLM's ancestral sampler reveals at random);</li>
 *   <li>{@link #CONFIDENCE} — the probability of the drawn token (MaskGIT; Chang et al. 2022,
 *       "MaskGIT: masked generative image transformer", §3.2);</li>
 *   <li>{@link #MARGIN} — top-1 minus top-2 probability (Kim et al. 2025, "Train for the worst,
 *       plan for the best", §4);</li>
 *   <li>{@link #ENTROPY} — the lowest entropy of the position's distribution (Dream; Ye et al.
 *       2025, "Dream 7B", the "entropy" remasking strategy).</li>
 * </ul>
 */
public enum RevealOrder {
    RANDOM, CONFIDENCE, MARGIN, ENTROPY;

    /** The score of a position with distribution p[0, v) whose drawn token is {@code token}; u a fresh uniform. */
    double score(double[] p, int v, int token, double u) {
        return switch (this) {
            case RANDOM -> u;
            case CONFIDENCE -> p[token];
            case MARGIN -> {
                double first = 0, second = 0;
                for (int k = 0; k < v; k++) {
                    if (p[k] > first) {
                        second = first;
                        first = p[k];
                    } else if (p[k] > second) second = p[k];
                }
                yield first - second;
            }
            case ENTROPY -> {
                double h = 0;
                for (int k = 0; k < v; k++) if (p[k] > 0) h -= p[k] * Math.log(p[k]);
                yield -h;
            }
        };
    }

    /** The order named {@code name} (case-insensitive), or a message listing the names. */
    public static RevealOrder parse(String name) {
        for (RevealOrder o : values()) if (o.name().equalsIgnoreCase(name)) return o;
        throw new IllegalArgumentException("unknown reveal order '%s' (known: random, confidence, margin, entropy)".formatted(name));
    }
}
