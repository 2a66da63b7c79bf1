package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SEDD's geometric noise and MDLM's masking schedule against their closed forms. */
class DiscreteSchedulesTest {

    private static final double H = 1e-6;

    @Test
    void geometricNoiseHitsItsEndpointsAndIsGeometricInBetween() {
        GeometricNoise g = GeometricNoise.sedd();
        assertEquals(1e-4, g.totalNoise(0), 1e-18);
        assertEquals(20, g.totalNoise(1), 1e-12);
        // σ̄(½) is the geometric mean √(σ_min σ_max)
        assertEquals(Math.sqrt(1e-4 * 20), g.totalNoise(0.5), 1e-15);
        double previous = 0;
        for (int i = 0; i <= 100; i++) {
            double t = i / 100.0, s = g.totalNoise(t);
            assertTrue(s > previous, "σ̄ increases at t = " + t);
            previous = s;
        }
    }

    @Test
    void geometricRateIsTheDerivativeOfTotalNoise() {
        GeometricNoise g = GeometricNoise.of(1e-3, 5);
        for (double t : new double[] {0.01, 0.2, 0.5, 0.8, 0.99}) {
            double fd = (g.totalNoise(t + H) - g.totalNoise(t - H)) / (2 * H);
            assertEquals(fd, g.rate(t), 1e-6 * Math.max(1, fd), "t = " + t);
        }
        assertEquals(20 * Math.log(2e5), GeometricNoise.sedd().rate(1), 1e-9);
    }

    @Test
    void absorbingMaskProbabilityIsOneMinusExpOfTotalNoise() {
        GeometricNoise g = GeometricNoise.sedd();
        assertEquals(1 - Math.exp(-20), g.maskProbability(1), 1e-15);
        assertEquals(1e-4, g.maskProbability(0), 1e-8);
    }

    @Test
    void aUniformCharacterIsStillCleanWithProbabilityExpOfMinusSigmaBarPlusTheRestOverN() {
        GeometricNoise g = GeometricNoise.sedd();
        for (double t : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            // the diagonal of exp(σ̄Q), Q = 11ᵀ/N − I: e^(−σ̄) + (1 − e^(−σ̄))/N
            double s = g.totalNoise(t), clean = Math.exp(-s) + (1 - Math.exp(-s)) / 65;
            assertEquals(1 - clean, g.changedProbability(t, 65), 1e-12, "t = " + t);
        }
        assertEquals(1 / 65.0, 1 - g.changedProbability(1, 65), 1e-8, "at t = 1 a character is clean by chance alone");
        assertThrows(IllegalArgumentException.class, () -> g.changedProbability(0.5, 1));
    }

    @Test
    void mdlmLinearScheduleHasAlphaOneMinusTAndWeightOneOverT() {
        MaskingSchedule m = MaskingSchedule.linear();
        assertEquals(1, m.alpha(0));
        assertEquals(0, m.alpha(1));
        for (double t : new double[] {0.05, 0.3, 0.5, 0.9}) {
            assertEquals(1 - t, m.alpha(t), 1e-15);
            assertEquals(t, m.maskProbability(t), 1e-15);
            double fd = (m.alpha(t + H) - m.alpha(t - H)) / (2 * H);
            assertEquals(fd, m.alphaPrime(t), 1e-8);
            assertEquals(1 / t, m.elboWeight(t), 1e-12);
            assertTrue(m.alpha(t + 0.01) < m.alpha(t));
        }
        // a token masked at t = 0.8 is revealed by s = 0.6 with probability (0.4 − 0.2)/0.8 = ¼
        assertEquals(0.25, m.unmaskProbability(0.8, 0.6), 1e-15);
        assertEquals(1, m.unmaskProbability(0.8, 0), 1e-15);
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> GeometricNoise.of(2, 1));
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GeometricNoise.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> GeometricNoise.sedd().totalNoise(1.5));
        assertThrows(IllegalArgumentException.class, () -> MaskingSchedule.linear().elboWeight(0));
        assertThrows(IllegalArgumentException.class, () -> MaskingSchedule.linear().unmaskProbability(0.3, 0.5));
        assertThrows(IllegalArgumentException.class, () -> MaskingSchedule.linear().alpha(-0.1));
    }

    @Test
    void scheduleNamesParseAndBadNamesListTheValidOnes() {
        for (ScheduleKind k : ScheduleKind.values()) assertEquals(k, ScheduleKind.parse(k.cliName()));
        assertEquals("cosine-logsnr", ScheduleKind.COSINE_LOGSNR.create().name());
        var e = assertThrows(IllegalArgumentException.class, () -> ScheduleKind.parse("karras"));
        assertTrue(e.getMessage().contains("karras") && e.getMessage().contains("cosine-logsnr"), e.getMessage());
    }
}
