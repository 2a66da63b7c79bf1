package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each schedule against its closed form and its stated properties. No ND4J needed. */
class NoiseScheduleTest {

    static Stream<NoiseSchedule> schedules() {
        return Stream.of(NoiseSchedule.ddpm(), NoiseSchedule.cosine(), NoiseSchedule.shiftedCosine(0),
                NoiseSchedule.shiftedCosine(-1.5), NoiseSchedule.vp());
    }

    @Test
    void linearAlphaBarIsTheProductOfOneMinusBeta() {
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        for (int i : new int[] {0, 1, 10, 499, 998, 999}) {
            double product = 1; // ᾱ_i = ∏_{j ≤ i} (1 − β_j), β_j = 1e-4 + (0.02 − 1e-4)·j/999
            for (int j = 0; j <= i; j++) product *= 1 - (1e-4 + (0.02 - 1e-4) * j / 999.0);
            assertEquals(product, schedule.alphaBarAt(i), 1e-12 * Math.max(product, 1e-3), "i = " + i);
            assertEquals(1e-4 + (0.02 - 1e-4) * i / 999.0, schedule.beta(i), 1e-12, "β at i = " + i);
        }
        assertEquals(4.035e-5, schedule.alphaBarAt(999), 0.01e-5); // the well-known ᾱ_T of DDPM
    }

    @Test
    void cosineAlphaBarFollowsTheSquaredCosineAndClipsBetaAtTheEnd() {
        NoiseSchedule schedule = NoiseSchedule.cosine();
        double s = 0.008;
        double f0 = Math.pow(Math.cos(s / (1 + s) * Math.PI / 2), 2);
        for (int i : new int[] {0, 99, 499, 899, 990}) {
            double t = (i + 1) / 1000.0;
            double expected = Math.pow(Math.cos((t + s) / (1 + s) * Math.PI / 2), 2) / f0;
            assertEquals(expected, schedule.alphaBarAt(i), 1e-12, "i = " + i);
        }
        // f(1) = 0, so the unclipped last β is 1: Nichol & Dhariwal clip it at 0.999.
        assertEquals(0.999, schedule.beta(999), 1e-12);
        for (int i = 0; i < 999; i++) assertTrue(schedule.beta(i) < 0.999, "β_" + i + " is not clipped");
    }

    @Test
    void shiftedCosineLogSnrRunsFromFifteenToMinusFifteenPlusShift() {
        for (double shift : new double[] {0, 1.0, -2.0}) {
            NoiseSchedule schedule = NoiseSchedule.shiftedCosine(shift);
            assertEquals(15 + shift, schedule.logSnr(0), 1e-9);
            assertEquals(-15 + shift, schedule.logSnr(1), 1e-9);
            for (double t = 0; t <= 1; t += 0.125) {
                double a = schedule.alpha(t), s = schedule.sigma(t);
                assertEquals(1, a * a + s * s, 1e-12, "t = " + t);
                assertEquals(Math.log(a * a / (s * s)), schedule.logSnr(t), 1e-9);
            }
        }
        // unshifted and symmetric: λ(½) = 0, i.e. ᾱ = ½ halfway
        assertEquals(0.5, NoiseSchedule.shiftedCosine(0).alphaBar(0.5), 1e-12);
    }

    @Test
    void vpLogAlphaBarHasItsClosedForm() {
        NoiseSchedule schedule = NoiseSchedule.vp();
        for (double t : new double[] {0, 0.01, 0.3, 0.77, 1}) {
            assertEquals(-0.1 * t - 0.5 * 19.9 * t * t, schedule.logAlphaBar(t), 1e-12);
            assertEquals(0.1 + 19.9 * t, schedule.betaRate(t), 1e-12);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void alphaBarAndLogSnrDecreaseStrictly(NoiseSchedule schedule) {
        // λ(0) is +∞ for the schedules that reach ᾱ = 1, so the comparison starts after t = 0
        double previousAlphaBar = schedule.alphaBar(0), previousLogSnr = schedule.logSnr(0);
        assertTrue(previousAlphaBar <= 1 && previousAlphaBar > 0.999);
        for (int k = 1; k <= 2000; k++) {
            double t = k / 2000.0;
            assertTrue(schedule.alphaBar(t) < previousAlphaBar, "ᾱ not decreasing at t = " + t);
            assertTrue(schedule.logSnr(t) < previousLogSnr, "λ not decreasing at t = " + t);
            previousAlphaBar = schedule.alphaBar(t);
            previousLogSnr = schedule.logSnr(t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void timeOfLogSnrInvertsLogSnr(NoiseSchedule schedule) {
        for (double t : new double[] {0.001, 0.05, 0.3, 0.5, 0.8, 0.999}) {
            assertEquals(t, schedule.timeOfLogSnr(schedule.logSnr(t)), 1e-9, "t = " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void betaRateIsMinusTheDerivativeOfLogAlphaBar(NoiseSchedule schedule) {
        double h = 1e-6;
        for (double t : new double[] {0.0503, 0.3107, 0.6512, 0.9001}) { // off the knots
            double derivative = -(schedule.logAlphaBar(t + h) - schedule.logAlphaBar(t - h)) / (2 * h);
            assertEquals(derivative, schedule.betaRate(t), 1e-5 * Math.max(1, derivative), "t = " + t);
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(1000, 0.02, 1e-4));
        assertTrue(e.getMessage().contains("0.02"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.ddpm().alpha(1.5));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.ddpm().timeOf(1000));
    }
}
