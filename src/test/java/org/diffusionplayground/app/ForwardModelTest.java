package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.diffusionplayground.app.forward.ForwardModel;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Forward page's view-model, without the JavaFX toolkit. */
class ForwardModelTest {

    private static MnistDataset data;
    private ForwardModel model;

    @BeforeAll
    static void loadData() throws Exception {
        data = MnistDataset.bundled();
    }

    @BeforeEach
    void setUp() {
        model = new ForwardModel(7);
        model.datasetProperty().set(data);
    }

    @Test
    void noisedImagesAreSignalTimesCleanPlusNoiseTimesFixedEps() {
        model.stepProperty().set(250);
        // DDPM linear at t = 250/1000: ᾱ = Π_{i<250} (1 − β_i), β_i = 1e-4 + (0.02 − 1e-4)·i/999 (Ho et al. 2020)
        double alphaBar = 1;
        for (int i = 0; i < 250; i++) alphaBar *= 1 - (1e-4 + (0.02 - 1e-4) * i / 999);
        assertEquals(alphaBar, model.alphaBarProperty().get(), 1e-9);
        float a = (float) Math.sqrt(alphaBar), s = (float) Math.sqrt(1 - alphaBar);
        float[] x0 = model.cleanProperty().get(), eps = model.noise(), xt = model.noisedProperty().get();
        assertEquals(16 * 784, xt.length);
        for (int i = 0; i < xt.length; i++) assertEquals(a * x0[i] + s * eps[i], xt[i], 1e-5f);
    }

    @Test
    void stepZeroIsTheCleanImagesAndStepTIsAlmostPureNoise() {
        model.stepProperty().set(0);
        assertArrayEquals(model.cleanProperty().get(), model.noisedProperty().get());
        assertEquals(Double.POSITIVE_INFINITY, model.logSnrProperty().get());
        model.toEnd();
        assertEquals(1000, model.stepProperty().get());
        float[] eps = model.noise(), xt = model.noisedProperty().get();
        // ᾱ_T of DDPM linear is 4.0e-5, so x_T differs from ε by at most √ᾱ_T·|x0| + (1−σ)|ε| < 0.01
        for (int i = 0; i < xt.length; i++) assertEquals(eps[i], xt[i], 0.01f);
    }

    @Test
    void readoutsFollowEverySchedule() {
        model.stepProperty().set(500);
        for (ScheduleKind c : ScheduleKind.values()) {
            model.scheduleKindProperty().set(c);
            NoiseSchedule s = c.create(model.shiftProperty().get());
            assertEquals(s.alphaBar(0.5), model.alphaBarProperty().get(), 1e-12, c.name());
            assertEquals(s.logSnr(0.5), model.logSnrProperty().get(), 1e-12, c.name());
            assertEquals(s.alpha(0.5), model.alphaProperty().get(), 1e-12, c.name());
            assertEquals(s.sigma(0.5), model.sigmaProperty().get(), 1e-12, c.name());
        }
        // cosine at t = 0.5 in closed form (Nichol & Dhariwal 2021, eq. 17): f(0.5)/f(0), f(t) = cos²((t+s)/(1+s)·π/2)
        model.scheduleKindProperty().set(ScheduleKind.COSINE);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2), f5 = Math.pow(Math.cos(0.508 / 1.008 * Math.PI / 2), 2);
        assertEquals(f5 / f0, model.alphaBarProperty().get(), 1e-6);
    }

    @Test
    void shiftMovesTheShiftedCosineLogSnrByExactlyTheShift() {
        model.scheduleKindProperty().set(ScheduleKind.COSINE_LOGSNR);
        model.stepProperty().set(300);
        double before = model.logSnrProperty().get();
        model.shiftProperty().set(2.0);
        assertEquals(before + 2.0, model.logSnrProperty().get(), 1e-9);
        assertEquals("Shifted cosine (+2.0)", model.alphaBarCurveProperty().get().get(0).name());
    }

    @Test
    void noiseStaysFixedAsTMovesAndNewNoiseRedrawsItButKeepsTheImages() {
        model.stepProperty().set(300);
        float[] eps300 = recoveredEps();
        model.stepProperty().set(700);
        assertArrayEquals(eps300, recoveredEps(), 2e-3f);
        float[] x0 = model.cleanProperty().get();
        model.newNoise();
        assertFalse(Arrays.equals(eps300, model.noise()));
        assertArrayEquals(x0, model.cleanProperty().get());
        model.newImages();
        assertFalse(Arrays.equals(x0, model.cleanProperty().get()));
    }

    /** ε = (x_t − α·x0)/σ, from the published arrays only. */
    private float[] recoveredEps() {
        float a = (float) model.alphaProperty().get(), s = (float) model.sigmaProperty().get();
        float[] x0 = model.cleanProperty().get(), xt = model.noisedProperty().get(), eps = new float[xt.length];
        for (int i = 0; i < xt.length; i++) eps[i] = (xt[i] - a * x0[i]) / s;
        return eps;
    }

    @Test
    void growingTheGridKeepsTheImagesAndNoiseAlreadyShown() {
        model.gridSizeProperty().set(2);
        float[] small = model.cleanProperty().get(), smallEps = model.noise();
        model.gridSizeProperty().set(8);
        assertEquals(64 * 784, model.cleanProperty().get().length);
        assertArrayEquals(small, Arrays.copyOf(model.cleanProperty().get(), small.length));
        assertArrayEquals(smallEps, Arrays.copyOf(model.noise(), smallEps.length));
    }

    @Test
    void chosenClassDrawsOnlyImagesOfThatClass() {
        model.chosenClassProperty().set(7);
        float[] x0 = model.cleanProperty().get();
        int[] sevens = data.indicesOf(7);
        for (int k = 0; k < 16; k++) {
            float[] image = Arrays.copyOfRange(x0, k * 784, (k + 1) * 784);
            assertTrue(Arrays.stream(sevens).anyMatch(i -> Arrays.equals(data.image(i), image)), "image " + k + " is not a 7");
        }
    }

    @Test
    void playRunsFromZeroToTInFourSecondsThenStops() {
        model.togglePlay();
        assertTrue(model.playingProperty().get());
        model.advance(1.0);
        assertEquals(250, model.stepProperty().get());
        model.advance(10.0);
        assertEquals(1000, model.stepProperty().get());
        assertFalse(model.playingProperty().get());
        model.togglePlay(); // at T: replays from 0
        assertEquals(0, model.stepProperty().get());
        assertTrue(model.playingProperty().get());
    }

    @Test
    void steppingClampsToTheTimelineAndPausesPlayback() {
        model.togglePlay();
        model.stepBy(-5);
        assertEquals(0, model.stepProperty().get());
        assertFalse(model.playingProperty().get());
        model.stepBy(1234);
        assertEquals(1000, model.stepProperty().get());
        model.toStart();
        assertEquals(0, model.stepProperty().get());
    }

    @Test
    void noDatasetMeansNoImagesButReadoutsStillWork() {
        ForwardModel empty = new ForwardModel(1);
        empty.stepProperty().set(100);
        assertEquals(null, empty.noisedProperty().get());
        assertNotEquals(1.0, empty.alphaBarProperty().get());
    }
}
