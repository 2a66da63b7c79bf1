package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The denoising loop, written out once: predict, step, report, check cancellation. The walk over
 * the time grid (validation, the final step to 0, cancellation between steps) is
 * {@link TimeGrid#walk}, shared with the discrete token loop.
 */
public final class SamplingLoop {

    private SamplingLoop() {
    }

    /** The end of a run: the final x, the NFE spent, and whether it was cancelled midway. */
    public record Result(INDArray x, int nfe, int stepsDone, boolean cancelled) {
        /** The final x as a packed float[] in C order (a copy), for callers that keep plain arrays. */
        public float[] xFloats() {
            return HeapArrays.floats(x);
        }
    }

    /**
     * Runs {@code sampler} from xT through {@code times} (decreasing, each in (0, 1]) and a final
     * step to t = 0.
     */
    public static Result run(Sampler sampler, ModelFn model, INDArray xT, double[] times,
                             Consumer<StepEvent> listener, BooleanSupplier cancelled) {
        TimeGrid.Walk<INDArray> walk = TimeGrid.walk(xT, times, cancelled, (i, t, tPrev, x) -> {
            Sampler.Step step = sampler.step(model, x, t, tPrev);
            Prediction p = step.prediction();
            listener.accept(new StepEvent(i, times.length, t, tPrev, step.x(), p.predX0(), p.output(),
                    model.nfe()));
            return step.x();
        });
        return new Result(walk.state(), model.nfe(), walk.stepsDone(), walk.cancelled());
    }

    public static Result run(Sampler sampler, ModelFn model, INDArray xT, double[] times) {
        return run(sampler, model, xT, times, e -> { }, () -> false);
    }
}
