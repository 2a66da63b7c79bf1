package org.diffusionplayground.app.imagemodel;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.ClassChoice;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.SamplingListener;
import org.diffusionplayground.model.sampling.StepEvent;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reverse run of an image model, off the UI thread: the page's {@link SamplerRun} recipe
 * on a grid of images, each step recorded into a {@link Recording} as it completes. The recipe
 * draws x_T first from the seed's stream, so every setting but the seed and the grid size
 * starts from the same x_T.
 */
public final class ReverseRun {

    /** Class choice: one sample of each class in turn (0, 1, …, 9, 0, …). */
    public static final int EACH_CLASS = ClassChoice.EACH;
    /** Class choice: the null class, no conditioning (guidance does not apply). */
    public static final int UNCONDITIONAL = ClassChoice.NONE;

    private ReverseRun() {
    }

    /**
     * What one run needs.
     *
     * @param recipe sampler, options, spacing, steps, guidance w (used only with a class) and
     *               the x̂0 clipping
     * @param label  a class in [0, classes), {@link #EACH_CLASS} or {@link #UNCONDITIONAL}
     * @param grid   the grid's side: grid² samples
     */
    public record Settings(SamplerRun recipe, int label, long seed, int grid) {
        public Settings {
            Objects.requireNonNull(recipe, "recipe");
            if (recipe.steps() > 1000) throw new IllegalArgumentException("steps (%d) must be in [1, 1000]".formatted(recipe.steps()));
            if (recipe.guidance() > 50) throw new IllegalArgumentException("guidance (%s) must be in [0, 50]".formatted(recipe.guidance()));
            if (label < UNCONDITIONAL) throw new IllegalArgumentException("label (%d) must be a class, EACH_CLASS or UNCONDITIONAL".formatted(label));
            if (grid < 1 || grid > 8) throw new IllegalArgumentException("grid (%d) must be in [1, 8]".formatted(grid));
        }

        public int count() { return grid * grid; }

        public int steps() { return recipe.steps(); }
    }

    /** The labels [count] of the samples (null = unconditional) for a model with {@code classes} classes. */
    static int[] labels(Settings s, int classes) {
        if (s.label() >= classes && classes > 0) {
            throw new IllegalArgumentException("class %d: the model has classes 0…%d".formatted(s.label(), classes - 1));
        }
        return ClassChoice.labels(s.label(), s.count(), classes);
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
            long[] shape = {settings.count(), 1, 28, 28};
            long start = System.nanoTime();
            settings.recipe().run(net, shape, labels(settings, net.numClasses()), settings.seed(), new SamplingListener() {
                @Override public void onStart(double t, INDArray xT) {
                    into.start(t, flat(xT));
                    progress.accept(0);
                }

                @Override public void onStep(StepEvent e) {
                    into.step(e.index(), e.tPrev(), e.nfe(), (System.nanoTime() - start) / 1e6, flat(e.x()), flat(e.predX0()));
                    progress.accept((e.index() + 1.0) / e.total());
                }
            }, cancelled);
        }
    }

    /** [N, 1, H, W] → packed float[N·H·W]. */
    static float[] flat(INDArray images) {
        return HeapArrays.floats(images);
    }
}
