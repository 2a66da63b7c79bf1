package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionplayground.app.schedules.Quantity;
import org.diffusionplayground.app.schedules.SchedulesModel;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.viz.Curve;
import org.junit.jupiter.api.Test;

/** The Schedules page's view-model, without the JavaFX toolkit. */
class SchedulesModelTest {

    private final SchedulesModel model = new SchedulesModel();

    @Test
    void startsWithDdpmAndCosineOverlaidOnEveryChart() {
        for (Quantity q : Quantity.values()) {
            if (q.discrete()) continue; // the text charts: SchedulesTextTest
            List<Curve> curves = model.curvesProperty(q).get();
            assertEquals(List.of("DDPM linear", "Cosine"), curves.stream().map(Curve::name).toList(), q.name());
        }
    }

    @Test
    void theVpSdeLyingOnDdpmLinearIsSaidInTheNameAndANote() {
        assertEquals("", model.overlapProperty().get());
        model.selectedProperty(ScheduleKind.VP).set(true);
        assertEquals(List.of("DDPM linear", "Cosine", "VP SDE (≈ DDPM linear)"),
                model.curvesProperty(Quantity.LOG_SNR).get().stream().map(Curve::name).toList());
        String note = model.overlapProperty().get();
        assertTrue(note.startsWith("VP SDE and DDPM linear draw as one curve (their λ differs by at most 0.09)"), note);
        assertTrue(note.contains("Song et al. 2021"), note);
        model.selectedProperty(ScheduleKind.DDPM).set(false);
        assertEquals("", model.overlapProperty().get(), "the VP SDE alone hides nothing");
        model.selectedProperty(ScheduleKind.COSINE_LOGSNR).set(true);
        model.shiftProperty().set(0);
        assertEquals("", model.overlapProperty().get(), "cosine and the shifted cosine differ by far more near t = 0 and 1");
    }

    @Test
    void alphaBarCurveOfDdpmMatchesTheProductOfOneMinusBeta() {
        Curve ddpm = model.curvesProperty(Quantity.ALPHA_BAR).get().get(0);
        // t = 0.5 is point 250 of 500; ᾱ(0.5) = Π_{i<500} (1 − β_i), β_i = 1e-4 + (0.02 − 1e-4)·i/999
        double alphaBar = 1;
        for (int i = 0; i < 500; i++) alphaBar *= 1 - (1e-4 + (0.02 - 1e-4) * i / 999);
        assertEquals(0.5, ddpm.x()[250], 1e-12);
        assertEquals(alphaBar, ddpm.y()[250], 1e-9);
        Curve sigma = model.curvesProperty(Quantity.SIGMA).get().get(0);
        assertEquals(Math.sqrt(1 - alphaBar), sigma.y()[250], 1e-9);
        Curve logSnr = model.curvesProperty(Quantity.LOG_SNR).get().get(0);
        assertEquals(Math.log(alphaBar / (1 - alphaBar)), logSnr.y()[250], 1e-9);
    }

    @Test
    void betaIsPlottedPerStepFromBetaStartToBetaEnd() {
        Curve beta = model.curvesProperty(Quantity.BETA).get().get(0);
        assertEquals(1000, beta.x().length);
        assertEquals(0.001, beta.x()[0], 1e-12); // step 0 sits at t = 1/T
        assertEquals(1e-4, beta.y()[0], 1e-9);
        assertEquals(0.02, beta.y()[999], 1e-9);
        assertTrue(Quantity.BETA.logScale() && Quantity.SNR.logScale() && !Quantity.ALPHA_BAR.logScale());
    }

    @Test
    void trailingSpacingMarksStepsFromTMinusOneInEvenStrides() {
        model.stepCountProperty().set(10);
        model.spacingProperty().set(Spacing.TRAILING);
        // trailing, n = 10, T = 1000: steps round(1000 − 100k) − 1 = 999, 899, …, 99 (Lin et al. 2024, Table 2)
        SchedulesModel.Timesteps ddpm = model.timestepsProperty().get().get(0);
        assertArrayEquals(new int[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99}, ddpm.steps());
        Curve alphaBar = model.curvesProperty(Quantity.ALPHA_BAR).get().get(0);
        assertArrayEquals(new double[] {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}, alphaBar.markerX(), 1e-12);
    }

    @Test
    void leadingSpacingNeverVisitsTheLastStep() {
        model.stepCountProperty().set(10);
        model.spacingProperty().set(Spacing.LEADING);
        // leading: (T div n)·k = 900, 800, …, 0
        assertArrayEquals(new int[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0},
                model.timestepsProperty().get().get(0).steps());
    }

    @Test
    void logSnrSpacingIsUniformInLogSnr() {
        model.stepCountProperty().set(6);
        model.spacingProperty().set(Spacing.LOGSNR);
        Curve logSnr = model.curvesProperty(Quantity.LOG_SNR).get().get(1); // cosine
        double[] lambda = logSnr.markerY();
        double stride = lambda[1] - lambda[0];
        for (int k = 1; k < lambda.length; k++) assertEquals(stride, lambda[k] - lambda[k - 1], 1e-6);
    }

    @Test
    void togglingSchedulesAddsAndRemovesCurvesWhichKeepTheirColours() {
        model.selectedProperty(ScheduleKind.VP).set(true);
        model.selectedProperty(ScheduleKind.DDPM).set(false);
        List<Curve> curves = model.curvesProperty(Quantity.SNR).get();
        assertEquals(List.of("Cosine", "VP SDE"), curves.stream().map(Curve::name).toList());
        assertEquals(ScheduleKind.COSINE.ordinal(), curves.get(0).colour());
        assertEquals(ScheduleKind.VP.ordinal(), curves.get(1).colour());
    }

    @Test
    void shiftRelabelsAndMovesTheShiftedCosine() {
        model.selectedProperty(ScheduleKind.COSINE_LOGSNR).set(true);
        model.shiftProperty().set(-2);
        Curve shifted = model.curvesProperty(Quantity.LOG_SNR).get().get(2);
        assertEquals("Shifted cosine (-2.0)", shifted.name());
        // λ(t) = −2 log tan(θ(t)) + shift with θ(0.5) = π/4 by symmetry of the ±15 clip → λ(0.5) = shift
        assertEquals(-2.0, shifted.y()[250], 1e-9);
    }
}
