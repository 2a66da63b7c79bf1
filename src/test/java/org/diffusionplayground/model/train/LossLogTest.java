package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLogTest {

    @TempDir Path dir;

    static TrainStep step(int n, double loss) {
        return new TrainStep(n, 10, loss, 1e-3, 100, Duration.ZERO);
    }

    @Test
    void resumingDropsRowsWrittenAfterTheCheckpointSoTheCurveStaysOneCurve() throws Exception {
        Path file = dir.resolve("loss.csv");
        try (LossLog log = new LossLog(file, 0)) {
            for (int n = 1; n <= 5; n++) log.onStep(step(n, 1.0 / n));
        }
        Files.writeString(file, "6,0.1", java.nio.file.StandardOpenOption.APPEND); // torn line of a killed run
        try (LossLog log = new LossLog(file, 3)) {
            log.onStep(step(4, 0.4));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(LossLog.HEADER, lines.get(0));
        assertEquals(List.of("1", "2", "3", "4"), lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList());
        assertEquals("0.400000", lines.get(4).split(",")[1]);
    }
}
