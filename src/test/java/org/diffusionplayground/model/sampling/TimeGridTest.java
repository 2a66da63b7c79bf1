package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The time-grid walk that the Gaussian and the token loops share. */
class TimeGridTest {

    @Test
    void walkStepsFromEachTimeToTheNextAndLastToZero() {
        List<String> steps = new ArrayList<>();
        TimeGrid.Walk<Integer> walk = TimeGrid.walk(0, new double[] {1, 0.5, 0.2}, () -> false, (i, t, tPrev, n) -> {
            steps.add(i + ":" + t + "→" + tPrev);
            return n + 1;
        });
        assertEquals(List.of("0:1.0→0.5", "1:0.5→0.2", "2:0.2→0.0"), steps);
        assertEquals(new TimeGrid.Walk<>(3, 3, false), walk);
    }

    @Test
    void cancellationIsCheckedBeforeEveryStep() {
        int[] done = {0};
        TimeGrid.Walk<Integer> walk = TimeGrid.walk(0, TimeGrid.uniform(10), () -> done[0] == 4, (i, t, tPrev, n) -> {
            done[0]++;
            return n + 1;
        });
        assertEquals(new TimeGrid.Walk<>(4, 4, true), walk);
        assertEquals(0, TimeGrid.walk(0, TimeGrid.uniform(3), () -> true, (i, t, p, n) -> n + 1).stepsDone());
    }

    @Test
    void uniformGridHasNEqualStepsDownToZero() {
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25}, TimeGrid.uniform(4));
        assertArrayEquals(new double[] {1}, TimeGrid.uniform(1));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.uniform(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|no timesteps",
            "1, 0|timestep 0.0 outside (0, 1]",
            "1.5|timestep 1.5 outside (0, 1]",
            "0.5, 0.5|timesteps must decrease: 0.5 then 0.5"})
    void badGridsAreRejectedWithTheOffendingTimes(String times, String message) {
        double[] grid = times.isBlank() ? new double[0]
                : java.util.Arrays.stream(times.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        var e = assertThrows(IllegalArgumentException.class, () -> TimeGrid.walk(0, grid, () -> false, (i, t, p, n) -> n));
        assertEquals(message, e.getMessage());
    }
}
