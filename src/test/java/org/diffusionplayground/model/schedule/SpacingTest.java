package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Index sets against diffusers' documented examples for T = 1000, n = 10 ({@code
 * timestep_spacing} in DDIMScheduler.set_timesteps; Lin et al. 2024, Table 2):
 * leading = arange(0, 10)·100 reversed, trailing = round(arange(1000, 0, −100)) − 1,
 * linear = round(linspace(0, 999, 10)) reversed.
 */
class SpacingTest {

    private static final NoiseSchedule DDPM = NoiseSchedule.ddpm();

    @Test
    void leadingNeverReachesTheLastStep() {
        assertArrayEquals(new int[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0}, indices(Spacing.LEADING));
    }

    @Test
    void trailingStartsAtTheLastStep() {
        assertArrayEquals(new int[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99}, indices(Spacing.TRAILING));
    }

    @Test
    void linearSpansFirstToLastStep() {
        assertArrayEquals(new int[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0}, indices(Spacing.LINEAR));
    }

    @Test
    void logSnrSpacingIsUniformInLogSnrFromOneToTheFirstStep() {
        double[] times = Spacing.LOGSNR.times(DDPM, 10);
        assertEquals(1.0, times[0], 0);
        assertEquals(DDPM.timeOf(0), times[9], 0);
        double gap = DDPM.logSnr(times[1]) - DDPM.logSnr(times[0]);
        for (int k = 1; k < 10; k++) {
            assertEquals(gap, DDPM.logSnr(times[k]) - DDPM.logSnr(times[k - 1]), 1e-6, "k = " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(Spacing.class)
    void everySpacingIsStrictlyDecreasingInsideTheUnitInterval(Spacing spacing) {
        for (NoiseSchedule schedule : new NoiseSchedule[] {DDPM, NoiseSchedule.cosine(), NoiseSchedule.vp()}) {
            for (int n : new int[] {1, 2, 7, 10, 50, 1000}) {
                double[] times = spacing.times(schedule, n);
                assertEquals(n, times.length);
                for (int k = 0; k < n; k++) {
                    assertTrue(times[k] > 0 && times[k] <= 1, spacing + " n=" + n + " k=" + k);
                    if (k > 0) assertTrue(times[k] < times[k - 1], spacing + " n=" + n + " k=" + k);
                }
            }
        }
    }

    @Test
    void stepCountsOutsideOneToTAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Spacing.LINEAR.times(DDPM, 0));
        assertTrue(e.getMessage().contains("[1, 1000]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Spacing.TRAILING.times(DDPM, 1001));
    }

    private static int[] indices(Spacing spacing) {
        double[] times = spacing.times(DDPM, 10);
        int[] indices = new int[times.length];
        for (int k = 0; k < times.length; k++) indices[k] = (int) Math.round(times[k] * 1000) - 1;
        return indices;
    }
}
