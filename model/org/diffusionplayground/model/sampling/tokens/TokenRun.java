package org.diffusionplayground.model.sampling.tokens;

import java.util.Arrays;
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
 * @param steps     reverse steps (the NFE without the cache); for {@link Kind#AUTOREGRESSIVE} the
 *                  characters to write, one a step, at most the clamp's free positions ({@link #stepsFor})
 * @param filter    temperature, top-k, top-p (masked and autoregressive samplers)
 * @param order     reveal order ({@link Kind#PLANNED})
 * @param threshold confidence threshold ({@link Kind#PLANNED}; 0 = by the schedule)
 * @param block     semi-autoregressive block length ({@link Kind#PLANNED}; 0 = none)
 * @param remask    ReMDM's η ({@link Kind#ANCESTRAL}; 0 = none)
 * @param cache     skip the network when a step changed nothing (MDLM's cache)
 */
public record TokenRun(Kind sampler, int steps, TokenFilter filter, RevealOrder order, double threshold, int block,
                       double remask, boolean cache) {

    /**
     * The samplers: MDLM's ancestral step and planned unmasking for masked models, SEDD's two for
     * uniform ones, and writing left to right ({@link LeftToRight}) for the autoregressive baseline.
     */
    public enum Kind {
        ANCESTRAL(TokenFamily.MASKED), PLANNED(TokenFamily.MASKED), TWEEDIE(TokenFamily.UNIFORM), EULER(TokenFamily.UNIFORM),
        AUTOREGRESSIVE(TokenFamily.AUTOREGRESSIVE);

        /** The models it samples. */
        public final TokenFamily family;
        /** Whether it samples masked models ({@code family == MASKED}). */
        public final boolean masked;

        Kind(TokenFamily family) {
            this.family = family;
            this.masked = family == TokenFamily.MASKED;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether it can sample {@code model}. */
        public boolean fits(TokenModel model) {
            return family == TokenFamily.of(model);
        }

        /** The default sampler of a family: ancestral, tweedie, autoregressive. */
        public static Kind defaultFor(TokenFamily family) {
            return switch (family) {
                case MASKED -> ANCESTRAL;
                case UNIFORM -> TWEEDIE;
                case AUTOREGRESSIVE -> AUTOREGRESSIVE;
            };
        }

        /** The samplers of a family, as their CLI names ("ancestral or planned"). */
        public static String namesFor(TokenFamily family) {
            return String.join(" or ", Arrays.stream(values()).filter(k -> k.family == family).map(Kind::cliName).toList());
        }

        public static Kind parse(String name) {
            for (Kind k : values()) if (k.cliName().equalsIgnoreCase(name)) return k;
            throw new IllegalArgumentException("unknown text sampler '%s' (known: %s)".formatted(name,
                    String.join(", ", Arrays.stream(values()).map(Kind::cliName).toList())));
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
        return defaults(masked ? TokenFamily.MASKED : TokenFamily.UNIFORM, steps);
    }

    /**
     * The default run of a family ({@link Kind#defaultFor}): masked and left-to-right draws
     * through {@link TokenFilter#defaults()}, uniform ones from the model's own rates; the cache
     * where a step can change nothing (not left to right, where every step writes).
     */
    public static TokenRun defaults(TokenFamily family, int steps) {
        boolean uniform = family == TokenFamily.UNIFORM, leftToRight = family == TokenFamily.AUTOREGRESSIVE;
        return new TokenRun(Kind.defaultFor(family), steps, uniform ? TokenFilter.none() : TokenFilter.defaults(), RevealOrder.RANDOM,
                0, 0, 0, !leftToRight);
    }

    /**
     * The tokens a run starts from [B, L]: all [M] for a masked model (and for an autoregressive
     * one: nothing written yet), uniform draws from {@code noise} (its first draws) for a uniform one — what {@link #run} starts from with
     * {@code new Noise(seed)}, so a page can show the prior before the first step.
     */
    public static INDArray prior(TokenModel model, int batch, int length, Noise noise) {
        return model.absorbing() || model.autoregressive() ? MaskedAncestral.allMasked(batch, length, model.maskToken())
                : UniformTweedie.uniformPrior(batch, length, model.vocabularySize(), noise);
    }

    /**
     * The steps {@link #run} takes with {@code clamp}: {@link #steps()}, or for
     * {@link Kind#AUTOREGRESSIVE} one per character written — {@code steps}, at most the free
     * positions (at least one step, which writes nothing when none is free).
     */
    public int stepsFor(Clamp clamp) {
        return sampler == Kind.AUTOREGRESSIVE ? Math.max(1, Math.min(steps, clamp.free())) : steps;
    }

    /**
     * {@code batch} sequences of {@code clamp.length()} tokens from {@code model}, seeded by
     * {@code seed}, reporting each step and stopping between steps when {@code cancelled}.
     */
    public TokenSamplingLoop.Result run(TokenModel model, Clamp clamp, int batch, long seed, Consumer<TokenStepEvent> listener,
                                        BooleanSupplier cancelled) {
        if (!sampler.fits(model)) throw new IllegalArgumentException("the %s sampler is for %s models; this one is %s"
                .formatted(sampler.cliName(), sampler.family.label(), TokenFamily.of(model).label()));
        Noise noise = new Noise(seed);
        INDArray prior = prior(model, batch, clamp.length(), noise);
        TokenSampler step = switch (sampler) {
            case ANCESTRAL -> new MaskedAncestral(model.maskingSchedule(), noise, filter, remask);
            case PLANNED -> new PlannedUnmasking(model.maskingSchedule(), noise, order, threshold, block, filter);
            case TWEEDIE -> new UniformTweedie(model.uniformNoise(), noise);
            case EULER -> new UniformEuler(model.uniformNoise(), noise);
            case AUTOREGRESSIVE -> new LeftToRight(noise, filter);
        };
        TokenModelFn fn = new TokenModelFn(model).cacheUnchanged(cache);
        return TokenSamplingLoop.run(clamp.around(step), fn, clamp.apply(prior), TimeGrid.uniform(stepsFor(clamp)), listener, cancelled);
    }
}
