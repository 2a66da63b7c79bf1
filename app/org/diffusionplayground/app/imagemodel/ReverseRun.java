package org.diffusionplayground.app.imagemodel;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.ClassifierFreeGuidance;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One reverse run of an image model, off the UI thread: x_T from the seed, then the sampler's
 * steps, each recorded into a {@link Recording} as it completes. x_T is drawn first from the
 * seed's stream and the sampler's own noise from a split of it (as {@code SamplerRun} does), so
 * every setting but the seed and the grid size starts from the same x_T.
 */
public final class ReverseRun {

    /** Class choice: one sample of each class in turn (0, 1, …, 9, 0, …). */
    public static final int EACH_CLASS = -1;
    /** Class choice: the null class, no conditioning (guidance does not apply). */
    public static final int UNCONDITIONAL = -2;

    private ReverseRun() {
    }

    /**
     * What one run needs.
     *
     * @param guidance classifier-free guidance weight w (1 = none); used only with a class
     * @param label    a class in [0, classes), {@link #EACH_CLASS} or {@link #UNCONDITIONAL}
     * @param grid     the grid's side: grid² samples
     * @param clip     what happens to the model's x̂0 at every step (after guidance)
     */
    public record Settings(SamplerKind sampler, SamplerOptions options, Spacing spacing, int steps, double guidance,
                           int label, long seed, int grid, X0Clip clip) {
        public Settings {
            Objects.requireNonNull(clip, "clip");
            Objects.requireNonNull(sampler, "sampler");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(spacing, "spacing");
            if (steps < 1 || steps > 1000) throw new IllegalArgumentException("steps (%d) must be in [1, 1000]".formatted(steps));
            if (!(guidance >= 0 && guidance <= 50)) throw new IllegalArgumentException("guidance (%s) must be in [0, 50]".formatted(guidance));
            if (label < UNCONDITIONAL) throw new IllegalArgumentException("label (%d) must be a class, EACH_CLASS or UNCONDITIONAL".formatted(label));
            if (grid < 1 || grid > 8) throw new IllegalArgumentException("grid (%d) must be in [1, 8]".formatted(grid));
        }

        public int count() { return grid * grid; }
    }

    /** The labels [count] of the samples (null = unconditional) for a model with {@code classes} classes. */
    static INDArray labels(Settings s, int classes) {
        if (s.label() == UNCONDITIONAL || classes == 0) return null;
        if (s.label() >= classes) {
            throw new IllegalArgumentException("class %d: the model has classes 0…%d".formatted(s.label(), classes - 1));
        }
        float[] labels = new float[s.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = s.label() == EACH_CLASS ? i % classes : s.label();
        return Nd4j.createFromArray(labels);
    }

    /**
     * The model the sampler calls: the network, wrapped in guidance when a class is asked for and
     * w ≠ 1, then in the x̂0 clipping asked for.
     */
    static Denoiser guided(Denoiser net, Settings s, INDArray labels) {
        if (labels == null || s.guidance() == 1 || net.nullClass() < 0) return s.clip().wrap(net);
        return s.clip().wrap(new ClassifierFreeGuidance(net, s.guidance()));
    }

    /**
     * Runs {@code settings} on {@code net}, writing every step into {@code into} (made for these
     * settings) and reporting the fraction done after each; stops between steps when {@code cancelled}
     * says so. ND4J is held to one OpenMP thread per lane (the network splits a batch into two
     * lanes, one per core): with two OpenMP threads, every op slows down badly while anything else
     * uses the CPU.
     */
    public static void run(Settings settings, Denoiser net, Recording into, DoubleConsumer progress, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) return;
        try (Threads single = Threads.limit(1)) {
            double[] times = settings.spacing().times(net.schedule(), settings.steps());
            Noise noise = new Noise(settings.seed(), DataType.FLOAT);
            INDArray xT = noise.normal(settings.count(), 1, 28, 28); // [N, 1, 28, 28]
            INDArray labels = labels(settings, net.numClasses());
            ModelFn model = new ModelFn(guided(net, settings, labels), labels);
            long start = System.nanoTime();
            into.start(times[0], flat(xT));
            progress.accept(0);
            SamplingLoop.run(settings.sampler().create(settings.options(), noise.split()), model, xT, times, e -> {
                into.step(e.index(), e.tPrev(), e.nfe(), (System.nanoTime() - start) / 1e6, flat(e.x()), flat(e.predX0()));
                progress.accept((e.index() + 1.0) / e.total());
            }, cancelled);
        }
    }

    /** [N, 1, H, W] → packed float[N·H·W]. */
    static float[] flat(INDArray images) {
        return images.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
