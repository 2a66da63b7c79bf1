package org.diffusionplayground.model.sampling.tokens;

import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A text sampling run's recipe, written once for the CLI, the text page and the benchmarks: which
 * sampler, how many steps on a uniform time grid, and its settings; {@link #run} draws the prior,
 * builds the seeded sampler, clamps the given positions and walks the loop.
 *
 * @param sampler   {@link Kind}
 * @param steps     reverse steps (the NFE without the cache)
 * @param filter    temperature, top-k, top-p (masked samplers)
 * @param order     reveal order ({@link Kind#PLANNED})
 * @param threshold confidence threshold ({@link Kind#PLANNED}; 0 = by the schedule)
 * @param block     semi-autoregressive block length ({@link Kind#PLANNED}; 0 = none)
 * @param remask    ReMDM's η ({@link Kind#ANCESTRAL}; 0 = none)
 * @param cache     skip the network when a step changed nothing (MDLM's cache)
 */
public record TokenRun(Kind sampler, int steps, TokenFilter filter, RevealOrder order, double threshold, int block,
                       double remask, boolean cache) {

    /** The samplers: MDLM's ancestral step and planned unmasking for masked models, SEDD's two for uniform ones. */
    public enum Kind {
        ANCESTRAL(true), PLANNED(true), TWEEDIE(false), EULER(false);

        public final boolean masked;

        Kind(boolean masked) {
            this.masked = masked;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String name) {
            for (Kind k : values()) if (k.cliName().equalsIgnoreCase(name)) return k;
            throw new IllegalArgumentException("unknown text sampler '%s' (known: ancestral, planned, tweedie, euler)".formatted(name));
        }
    }

    public TokenRun {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(order, "order");
        if (steps < 1 || steps > 100_000) throw new IllegalArgumentException("steps (%d) must be in [1, 100000]".formatted(steps));
    }

    /** The default run of a model: ancestral unmasking (masked) or Tweedie τ-leaping (uniform), with the cache. */
    public static TokenRun defaults(boolean masked, int steps) {
        return new TokenRun(masked ? Kind.ANCESTRAL : Kind.TWEEDIE, steps, TokenFilter.none(), RevealOrder.RANDOM, 0, 0, 0, true);
    }

    /**
     * The tokens a run starts from [B, L]: all [M] for a masked model, uniform draws from
     * {@code noise} (its first draws) for a uniform one — what {@link #run} starts from with
     * {@code new Noise(seed)}, so a page can show the prior before the first step.
     */
    public static INDArray prior(TokenModel model, int batch, int length, Noise noise) {
        return model.absorbing() ? MaskedAncestral.allMasked(batch, length, model.maskToken())
                : UniformTweedie.uniformPrior(batch, length, model.vocabularySize(), noise);
    }

    /**
     * {@code batch} sequences of {@code clamp.length()} tokens from {@code model}, seeded by
     * {@code seed}, reporting each step and stopping between steps when {@code cancelled}.
     */
    public TokenSamplingLoop.Result run(TokenModel model, Clamp clamp, int batch, long seed, Consumer<TokenStepEvent> listener,
                                        BooleanSupplier cancelled) {
        if (sampler.masked != model.absorbing()) throw new IllegalArgumentException("the %s sampler is for %s models; this one is %s"
                .formatted(sampler.cliName(), sampler.masked ? "masked" : "uniform", model.absorbing() ? "masked" : "uniform"));
        Noise noise = new Noise(seed);
        INDArray prior = prior(model, batch, clamp.length(), noise);
        TokenSampler step = switch (sampler) {
            case ANCESTRAL -> new MaskedAncestral(model.maskingSchedule(), noise, filter, remask);
            case PLANNED -> new PlannedUnmasking(model.maskingSchedule(), noise, order, threshold, block, filter);
            case TWEEDIE -> new UniformTweedie(model.uniformNoise(), noise);
            case EULER -> new UniformEuler(model.uniformNoise(), noise);
        };
        TokenModelFn fn = new TokenModelFn(model).cacheUnchanged(cache);
        return TokenSamplingLoop.run(clamp.around(step), fn, clamp.apply(prior), TimeGrid.uniform(steps), listener, cancelled);
    }
}
