package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffusionplayground.app.schedules.Quantity;
import org.diffusionplayground.app.schedules.SchedulesModel;
import org.diffusionplayground.app.schedules.TextSchedule;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.viz.Curve;
import org.junit.jupiter.api.Test;

/**
 * The Schedules page's discrete (text) schedules against their closed forms: MDLM's α_t = 1 − t
 * (Sahoo et al. 2024) and SEDD's σ̄(t) = 10⁻⁴^(1−t)·20^t (Lou et al. 2023), the probability a
 * character is still clean under each, and their markers at the text samplers' uniform times.
 */
class SchedulesTextTest {

    private final SchedulesModel model = new SchedulesModel();

    @Test
    void offByDefaultAndOnlyOnTheirOwnCharts() {
        assertFalse(model.textShownProperty().get());
        assertTrue(model.curvesProperty(Quantity.CLEAN).get().isEmpty());
        model.textProperty(TextSchedule.MASKED).set(true);
        model.textProperty(TextSchedule.UNIFORM).set(true);
        assertTrue(model.textShownProperty().get());
        assertEquals(List.of(TextSchedule.MASKED.label(), TextSchedule.UNIFORM.label()),
                model.curvesProperty(Quantity.TOTAL_NOISE).get().stream().map(Curve::name).toList());
        for (Quantity q : Quantity.values()) {
            if (!q.discrete()) assertEquals(List.of("DDPM linear", "Cosine"),
                    model.curvesProperty(q).get().stream().map(Curve::name).toList(), q + " keeps the Gaussian schedules only");
        }
        model.textProperty(TextSchedule.MASKED).set(false);
        model.textProperty(TextSchedule.UNIFORM).set(false);
        assertFalse(model.textShownProperty().get());
    }

    @Test
    void theMaskedScheduleKeepsACharacterCleanWithProbabilityOneMinusT() {
        model.textProperty(TextSchedule.MASKED).set(true);
        Curve clean = model.curvesProperty(Quantity.CLEAN).get().get(0), sigma = model.curvesProperty(Quantity.TOTAL_NOISE).get().get(0);
        for (int k = 0; k < clean.x().length - 1; k += 50) {
            double t = clean.x()[k];
            assertEquals(1 - t, clean.y()[k], 1e-12, "α_t at t = " + t);
            assertEquals(-Math.log(1 - t), sigma.y()[k], 1e-12, "σ̄ = −ln α_t at t = " + t);
        }
        assertEquals(Double.POSITIVE_INFINITY, sigma.y()[sigma.y().length - 1], "everything masked at t = 1: σ̄ infinite (not drawn)");
        assertEquals(TextSchedule.MASKED.colour(), clean.colour());
    }

    @Test
    void theUniformScheduleIsGeometricAndLeavesOneCharacterInNClean() {
        model.textProperty(TextSchedule.UNIFORM).set(true);
        Curve clean = model.curvesProperty(Quantity.CLEAN).get().get(0), sigma = model.curvesProperty(Quantity.TOTAL_NOISE).get().get(0);
        for (int k = 0; k < clean.x().length; k += 50) {
            double t = clean.x()[k], s = Math.pow(1e-4, 1 - t) * Math.pow(20, t);
            assertEquals(s, sigma.y()[k], 1e-9 * s, "σ̄(t) at t = " + t);
            // kept with e^−σ̄, else resampled among 65 characters and kept by chance with 1/65
            assertEquals(Math.exp(-s) + (1 - Math.exp(-s)) / 65, clean.y()[k], 1e-12, "P(clean) at t = " + t);
        }
        assertEquals(Math.sqrt(1e-4 * 20), sigma.y()[250], 1e-12, "σ̄(½) is the geometric mean of σ_min and σ_max");
        assertEquals(1 / 65.0, clean.y()[500], 1e-8, "at t = 1 only chance keeps a character");
        assertTrue(Quantity.TOTAL_NOISE.logScale() && !Quantity.CLEAN.logScale());
    }

    @Test
    void markersSitAtTheUniformTimesTheTextSamplersVisitWhateverTheSpacing() {
        model.textProperty(TextSchedule.MASKED).set(true);
        model.stepCountProperty().set(4);
        model.spacingProperty().set(Spacing.LOGSNR);
        Curve clean = model.curvesProperty(Quantity.CLEAN).get().get(0);
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25}, clean.markerX(), 1e-12);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, clean.markerY(), 1e-12);
    }

    @Test
    void theCharacterCountIsTinyShakespearesOwn() throws Exception {
        assertEquals(TextCorpus.shakespeare().vocabularySize(), TextSchedule.CHARACTERS);
    }
}
