package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of Gaussian schedules: CLI names, the pages' labels and papers, the shift. */
class ScheduleKindTest {

    @Test
    void thePagesListEverySchedulesLabelInOrderAndTheCliNamesStay() {
        assertEquals(List.of("DDPM linear", "Cosine", "Shifted cosine", "VP SDE"),
                Arrays.stream(ScheduleKind.values()).map(ScheduleKind::label).toList());
        assertEquals(List.of("ddpm", "cosine", "cosine-logsnr", "vp"),
                Arrays.stream(ScheduleKind.values()).map(ScheduleKind::cliName).toList());
        assertEquals("ddpm, cosine, cosine-logsnr, vp", ScheduleKind.names());
    }

    @Test
    void everyScheduleNamesItsPaper() {
        assertTrue(ScheduleKind.DDPM.citation().startsWith("Ho, Jain & Abbeel 2020"));
        assertTrue(ScheduleKind.COSINE.citation().startsWith("Nichol & Dhariwal 2021"));
        assertTrue(ScheduleKind.COSINE_LOGSNR.citation().startsWith("Hoogeboom, Heek & Salimans 2023"));
        assertTrue(ScheduleKind.VP.citation().startsWith("Song et al. 2021"));
    }

    @Test
    void onlyTheShiftedCosineReadsItsShiftWhichMovesLogSnrByExactlyTheShift() {
        for (ScheduleKind k : ScheduleKind.values()) {
            NoiseSchedule plain = k.create(), shifted = k.create(1.5);
            for (double t : new double[] {0.1, 0.5, 0.9}) {
                double expected = plain.logSnr(t) + (k.shiftable() ? 1.5 : 0);
                assertEquals(expected, shifted.logSnr(t), 1e-9, k + " at t = " + t);
            }
            assertEquals(k.shiftable() ? "%s (+1.5)".formatted(k.label()) : k.label(), k.label(1.5));
        }
        assertTrue(ScheduleKind.COSINE_LOGSNR.shiftable());
        assertFalse(ScheduleKind.COSINE.shiftable());
        // the plain cosine-logsnr is the shifted cosine at shift 0 (the CLI's schedule)
        assertEquals("cosine-logsnr", ScheduleKind.COSINE_LOGSNR.create().name());
        assertEquals("Shifted cosine (-2.0)", ScheduleKind.COSINE_LOGSNR.label(-2));
    }

    @Test
    void factoriesBuildTheirPapersSchedules() {
        assertEquals(NoiseSchedule.ddpm().alphaBar(0.3), ScheduleKind.DDPM.create().alphaBar(0.3), 0);
        assertEquals(NoiseSchedule.cosine().alphaBar(0.3), ScheduleKind.COSINE.create().alphaBar(0.3), 0);
        assertEquals(NoiseSchedule.vp().alphaBar(0.3), ScheduleKind.VP.create().alphaBar(0.3), 0);
    }
}
