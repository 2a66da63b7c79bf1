package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.Spacing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recipe every caller samples through: x_T from the seed, the guidance rule, clipping after
 * guidance, labels from a class choice. {@link KnownX0Denoiser} returns a known x̂0 per label and
 * records the labels of every call; DDIM with η = 0 ends exactly on the (guided, clipped) x̂0.
 */
class SamplerRunTest {

    private static final long[] FOUR_IMAGES = {4, 1, 28, 28};
    private static final SamplerRun DDIM = new SamplerRun(SamplerKind.DDIM, SamplerOptions.defaults(), Spacing.LOGSNR, 3);

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** x̂0 of class k: every pixel −1 + 2k/9; the null class (10): every pixel 0. */
    private static float[] flat(int label) {
        float[] x = new float[784];
        Arrays.fill(x, label == KnownX0Denoiser.CLASSES ? 0f : -1 + 2 * label / 9f);
        return x;
    }

    @Test
    void xTIsTheSeedsFirstDrawWhateverTheSamplerStepsOrGuidance() {
        INDArray expected = SamplerRun.startNoise(FOUR_IMAGES, 21);
        for (SamplerRun recipe : List.of(DDIM, DDIM.withGuidance(4), new SamplerRun(SamplerKind.DDPM,
                SamplerOptions.defaults(), Spacing.LINEAR, 7), DDIM.withClip(X0Clip.DYNAMIC))) {
            List<INDArray> starts = new ArrayList<>();
            recipe.run(new KnownX0Denoiser(SamplerRunTest::flat), FOUR_IMAGES, new int[] {1, 2, 3, 4}, 21,
                    new SamplingListener() {
                        @Override public void onStart(double t, INDArray xT) { starts.add(xT); }

                        @Override public void onStep(StepEvent e) { }
                    }, () -> false);
            assertEquals(1, starts.size());
            assertEquals(expected, starts.get(0), recipe.toString());
        }
    }

    @Test
    void labelledRunWithWeightNotOneSendsConditionalAndNullLabelsAsOneBatch() {
        KnownX0Denoiser net = new KnownX0Denoiser(SamplerRunTest::flat);
        INDArray x = DDIM.withGuidance(3).run(net, FOUR_IMAGES, new int[] {9, 9, 0, 0}, 1).x();
        for (int[] labels : net.calls()) assertEquals("[9, 9, 0, 0, 10, 10, 10, 10]", Arrays.toString(labels));
        // guided x̂0 = (1 − w)·x̂0_∅ + w·x̂0_k = 3·(±1): DDIM ends on it
        assertEquals(3.0, x.getDouble(0, 0, 5, 5), 1e-5);
        assertEquals(-3.0, x.getDouble(3, 0, 27, 0), 1e-5);
    }

    @Test
    void weightOneAndUnlabelledRunsAreOnePlainPass() {
        KnownX0Denoiser net = new KnownX0Denoiser(SamplerRunTest::flat);
        DDIM.run(net, FOUR_IMAGES, new int[] {1, 2, 3, 4}, 1);
        DDIM.withGuidance(5).run(net, FOUR_IMAGES, null, 1);
        List<String> calls = net.calls().stream().map(Arrays::toString).toList();
        assertEquals(List.of("[1, 2, 3, 4]", "[1, 2, 3, 4]", "[1, 2, 3, 4]",
                "[10, 10, 10, 10]", "[10, 10, 10, 10]", "[10, 10, 10, 10]"), calls);
    }

    @Test
    void aModelWithoutANullClassIsNeverGuided() {
        KnownX0Denoiser inner = new KnownX0Denoiser(SamplerRunTest::flat);
        Denoiser noNullClass = new WithoutNullClass(inner);
        assertSame(noNullClass, DDIM.withGuidance(3).model(noNullClass, true));
        DDIM.withGuidance(3).run(noNullClass, FOUR_IMAGES, new int[] {1, 1, 1, 1}, 1);
        for (int[] labels : inner.calls()) assertEquals("[1, 1, 1, 1]", Arrays.toString(labels));
    }

    @Test
    void clippingActsOnTheGuidedPrediction() {
        SamplerRun recipe = DDIM.withGuidance(3).withClip(X0Clip.STATIC);
        INDArray x = recipe.run(new KnownX0Denoiser(SamplerRunTest::flat), FOUR_IMAGES, new int[] {9, 0, 9, 0}, 2).x();
        assertEquals(1.0, x.getDouble(0, 0, 3, 3), 1e-5, "3 clipped to 1");
        assertEquals(-1.0, x.getDouble(1, 0, 3, 3), 1e-5, "−3 clipped to −1");
    }

    @Test
    void everyStepIsReportedAndCancellationStopsBetweenSteps() {
        AtomicInteger steps = new AtomicInteger();
        SamplingLoop.Result r = DDIM.run(new KnownX0Denoiser(SamplerRunTest::flat), FOUR_IMAGES, null, 1,
                e -> steps.incrementAndGet(), () -> steps.get() == 2);
        assertTrue(r.cancelled());
        assertEquals(2, r.stepsDone());
        assertEquals(2, r.nfe());
    }

    @Test
    void labelsMustMatchTheBatchAndGuidanceMustBeAWeight() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DDIM.run(new KnownX0Denoiser(SamplerRunTest::flat), FOUR_IMAGES, new int[] {1, 2}, 1));
        assertEquals("2 labels for 4 samples", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DDIM.withGuidance(-0.5));
        assertEquals("guidance (-0.5) must be finite and ≥ 0", e.getMessage());
    }

    @Test
    void classChoiceGivesEachClassInTurnOneClassOrNone() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, ClassChoice.labels(ClassChoice.EACH, 5, 3));
        assertArrayEquals(new int[] {7, 7, 7}, ClassChoice.labels(7, 3, 10));
        assertArrayEquals(new int[] {10, 10}, ClassChoice.labels(10, 2, 10), "the null class is a valid choice");
        assertNull(ClassChoice.labels(ClassChoice.NONE, 4, 10));
        assertNull(ClassChoice.labels(ClassChoice.EACH, 4, 0), "a model without classes is unconditional");
        assertThrows(IllegalArgumentException.class, () -> ClassChoice.labels(-3, 4, 10));
    }

    /** A conditional model that was trained without a null class (no label dropout). */
    private record WithoutNullClass(Denoiser inner) implements Denoiser {
        @Override public INDArray predict(INDArray x, double t, INDArray cond) { return inner.predict(x, t, cond); }

        @Override public Parameterization parameterization() { return inner.parameterization(); }

        @Override public GaussianPath schedule() { return inner.schedule(); }

        @Override public int numClasses() { return inner.numClasses(); }
    }
}
