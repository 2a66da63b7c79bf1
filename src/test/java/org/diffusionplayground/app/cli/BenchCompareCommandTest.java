package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.diffusionplayground.model.bench.PeerProcess;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.Test;

/**
 * {@code bench compare} on the tiny transformer: where PyTorch is installed, both sides build the
 * same network (equal parameter counts, else the command fails) and every figure has a ratio per
 * pair; where it is not, one clear "skipped" line and exit 0.
 */
class BenchCompareCommandTest {

    @Test
    void timesBothSidesAlternatelyOrSaysWhyItCannot() {
        NativeBuild.configure();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "compare", "--model", "tiny",
                "--batches", "1", "--train-batch", "2", "--pairs", "2", "--reps", "1");
        assertEquals(0, code, err.toString());
        String why = PeerProcess.unavailable("/usr/bin/python3");
        if (why != null) {
            assertEquals("skipped: " + why, out.toString().strip());
            return;
        }
        String text = out.toString();
        assertTrue(text.contains("parameters on both sides"), text);
        for (String figure : new String[] {"forward b1", "train step b2"}) {
            String row = text.lines().filter(l -> l.startsWith(figure + " ")).findFirst().orElseThrow(() -> new AssertionError(text));
            assertTrue(row.matches(".*\\d+\\.\\d\\d \\d+\\.\\d\\d \\(median \\d+\\.\\d\\d\\)$"), row);
        }
        assertTrue(text.contains("peak RSS: ours"), text);
    }
}
