package org.diffusionplayground.model.sampling.tokens;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The token sampling loop: step, report, check cancellation — on the same time-grid walk as the
 * Gaussian {@code SamplingLoop} ({@link TimeGrid#walk}: a decreasing grid in (0, 1], a final step
 * to 0, cancellation between steps).
 */
public final class TokenSamplingLoop {

    private TokenSamplingLoop() {
    }

    /** The end of a run: the final tokens [B, L], the NFE spent, and whether it was cancelled midway. */
    public record Result(INDArray tokens, int nfe, int stepsDone, boolean cancelled) {
    }

    /**
     * Runs {@code sampler} from the prior tokens {@code start} [B, L] (for masked diffusion, all
     * [M]) through {@code times} and a final step to t = 0.
     */
    public static Result run(TokenSampler sampler, TokenModelFn model, INDArray start, double[] times,
                             Consumer<TokenStepEvent> listener, BooleanSupplier cancelled) {
        if (start.rank() != 2) throw new IllegalArgumentException("tokens must be [B, L], got rank " + start.rank());
        TimeGrid.Walk<INDArray> walk = TimeGrid.walk(start, times, cancelled, (i, t, s, tokens) -> {
            TokenSampler.Step step = sampler.step(model, tokens, t, s);
            listener.accept(new TokenStepEvent(i, times.length, t, s, step.tokens(), step.logits(), model.nfe()));
            return step.tokens();
        });
        return new Result(walk.state(), model.nfe(), walk.stepsDone(), walk.cancelled());
    }

    public static Result run(TokenSampler sampler, TokenModelFn model, INDArray start, double[] times) {
        return run(sampler, model, start, times, e -> { }, () -> false);
    }
}
