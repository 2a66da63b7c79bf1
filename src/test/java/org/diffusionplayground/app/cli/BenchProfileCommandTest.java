package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.runtime.OpClock;
import org.junit.jupiter.api.Test;

/**
 * {@code bench profile}: a table per forward batch and for the training step, naming the ops that
 * ran (the convolutions by shape, the Java kernels, the optimizer) with their share of the pass;
 * the clock is off again afterwards.
 */
class BenchProfileCommandTest {

    @Test
    void tablesNameTheOpsOfTheForwardPassAndTheTrainingStep() {
        String text = run(0, "--network", "unet", "--model", "small", "--batches", "1", "--train-batch", "2", "--reps", "2",
                "--top", "100");
        assertTrue(text.lines().anyMatch(l -> l.matches("forward, batch 1: median \\d+\\.\\d\\d ms, mean .* min–max .* over 2")), text);
        assertTrue(text.contains("training step, batch 2: median"), text);
        for (String kind : List.of("conv 3×3 1→16 @28", "conv 3×3 16→1 @28", "conv 3×3 16→16 @28 /2", "GroupNorm+SiLU",
                "upsample+concat", "bp: conv 3×3 16→16 @28", "bp: GroupNorm+SiLU", "step: optimizer", "loss")) {
            assertTrue(text.lines().anyMatch(l -> l.strip().startsWith(kind + " ") && l.strip().matches(".* \\d+\\.\\d%$")),
                    kind + " in\n" + text);
        }
        assertFalse(OpClock.running(), "the clock is off after the command");
    }

    @Test
    void theTextTransformerHasItsTablesToo() {
        String text = run(0, "--network", "ddit", "--model", "tiny", "--batches", "2", "--train-batch", "2", "--reps", "1", "--top", "100");
        assertTrue(text.contains("forward, batch 2: median"), text);
        assertTrue(text.contains("training step, batch 2: median"), text);
        assertTrue(text.contains("step: optimizer"), text);
    }

    @Test
    void anUnknownNetworkIsRefusedInOneLine() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "profile", "--network", "resnet");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("error: --network"), err.toString());
    }

    private static String run(int expected, String... options) {
        NativeBuild.configure();
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] args = new String[options.length + 2];
        args[0] = "bench";
        args[1] = "profile";
        System.arraycopy(options, 0, args, 2, options.length);
        assertEquals(expected, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args), err.toString());
        return out.toString();
    }
}
