package org.diffusionplayground.model.sampling;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The denoising loop, written out once: predict, step, report, check cancellation. */
public final class SamplingLoop {

    private SamplingLoop() {
    }

    /** The end of a run: the final x, the NFE spent, and whether it was cancelled midway. */
    public record Result(INDArray x, int nfe, int stepsDone, boolean cancelled) {
    }

    /**
     * Runs {@code sampler} from xT through {@code times} (decreasing, each in (0, 1]) and a final
     * step to t = 0.
     */
    public static Result run(Sampler sampler, ModelFn model, INDArray xT, double[] times,
                             Consumer<StepEvent> listener, BooleanSupplier cancelled) {
        requireDecreasing(times);
        INDArray x = xT;
        for (int i = 0; i < times.length; i++) {
            if (cancelled.getAsBoolean()) return new Result(x, model.nfe(), i, true);
            double t = times[i], tPrev = i + 1 < times.length ? times[i + 1] : 0.0;
            Sampler.Step step = sampler.step(model, x, t, tPrev);
            x = step.x();
            Prediction p = step.prediction();
            listener.accept(new StepEvent(i, times.length, t, tPrev, x, p.predX0(), p.output(),
                    model.nfe()));
        }
        return new Result(x, model.nfe(), times.length, false);
    }

    public static Result run(Sampler sampler, ModelFn model, INDArray xT, double[] times) {
        return run(sampler, model, xT, times, e -> { }, () -> false);
    }

    private static void requireDecreasing(double[] times) {
        if (times.length == 0) throw new IllegalArgumentException("no timesteps");
        for (int i = 0; i < times.length; i++) {
            if (!(times[i] > 0 && times[i] <= 1)) {
                throw new IllegalArgumentException("timestep %s outside (0, 1]".formatted(times[i]));
            }
            if (i > 0 && !(times[i] < times[i - 1])) {
                throw new IllegalArgumentException("timesteps must decrease: %s then %s"
                        .formatted(times[i - 1], times[i]));
            }
        }
    }
}
