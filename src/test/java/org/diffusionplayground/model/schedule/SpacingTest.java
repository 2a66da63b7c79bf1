package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.diffusionplayground.model.sampling.TimeGrid;
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

    /** Every schedule the pages offer (the shifted cosine at three shifts) and the flow-matching interpolant. */
    static List<GaussianPath> paths() {
        List<GaussianPath> paths = new ArrayList<>();
        for (ScheduleKind kind : ScheduleKind.values()) paths.add(kind.create());
        paths.add(ScheduleKind.COSINE_LOGSNR.create(-3));
        paths.add(ScheduleKind.COSINE_LOGSNR.create(3));
        paths.add(LinearInterpolant.defaults());
        return paths;
    }

    /** 1…100 every one, then every 7th to 1000, and 999, 1000. */
    static int[] stepCounts() {
        return IntStream.concat(IntStream.concat(IntStream.rangeClosed(1, 100), IntStream.iterate(107, n -> n <= 1000, n -> n + 7)),
                IntStream.of(999, 1000)).distinct().toArray();
    }

    @ParameterizedTest
    @EnumSource(Spacing.class)
    void everySpacingOfEverySchedulePicksStrictlyDecreasingTimesOnDistinctGridSteps(Spacing spacing) {
        for (GaussianPath path : paths()) {
            int steps = path.steps();
            for (int n : stepCounts()) {
                double[] times = spacing.times(path, n);
                String where = "%s on %s, n = %d".formatted(spacing, path, n);
                assertEquals(n, times.length, where);
                if (spacing != Spacing.LEADING) assertEquals(1.0, times[0], 1e-12, where + ": starts at t = 1");
                for (int k = 0; k < n; k++) {
                    assertTrue(times[k] > 0 && times[k] <= 1, where + " k=" + k + ": " + times[k]);
                    if (k == 0) continue;
                    assertTrue(times[k] < times[k - 1], where + " k=" + k + ": " + times[k - 1] + " then " + times[k]);
                    long step = Math.round(times[k] * steps) - 1, before = Math.round(times[k - 1] * steps) - 1;
                    assertTrue(step < before, where + " k=" + k + ": grid step " + before + " twice");
                }
                assertDoesNotThrow(() -> TimeGrid.requireDecreasing(times), where);
            }
        }
    }

    @Test
    void logSnrSpacingOnTheCosineScheduleNoLongerRepeatsItsLastGridStep() {
        // uniform λ put 4 of 20 times inside the last grid step, where the clipped β = 0.999 drops
        // λ from −12.9 to −19.8: listed as 999 999 999 998 998 997 …
        double[] times = Spacing.LOGSNR.times(NoiseSchedule.cosine(), 20);
        int[] steps = new int[times.length];
        for (int k = 0; k < times.length; k++) steps[k] = (int) Math.round(times[k] * 1000) - 1;
        assertArrayEquals(new int[] {999, 998, 997, 996, 995}, java.util.Arrays.copyOf(steps, 5));
        assertEquals(0, steps[19]);
    }

    @Test
    void logSnrTimesThatNeedNoMoveStayUniformInLogSnr() {
        // on DDPM at 20 steps no two uniform-λ times share a grid step, so nothing moves
        double[] times = Spacing.LOGSNR.times(DDPM, 20);
        double lambdaT = DDPM.logSnr(1.0), lambda0 = DDPM.logSnr(DDPM.timeOf(0));
        for (int k = 1; k < 19; k++) {
            assertEquals(lambdaT + (lambda0 - lambdaT) * k / 19, DDPM.logSnr(times[k]), 1e-9, "k = " + k);
        }
        // at n = T every spacing is every grid step
        double[] all = Spacing.LOGSNR.times(NoiseSchedule.cosine(), 1000);
        for (int k = 0; k < 1000; k++) assertEquals(NoiseSchedule.cosine().timeOf(999 - k), all[k], 1e-12, "k = " + k);
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
