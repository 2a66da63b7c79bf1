package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Stream;
import org.diffusionplayground.model.bench.PeerProcess;
import org.diffusionplayground.model.runtime.CpuAffinity;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.Test;

/**
 * {@code bench compare} on the tiny transformer and the small U-Net: where PyTorch is installed,
 * both sides build the same network (equal parameter counts, else the command fails) and every
 * figure has a ratio per pair; where it is not, one clear "skipped" line and exit 0.
 */
class BenchCompareCommandTest {

    @Test
    void timesBothSidesAlternatelyOrSaysWhyItCannot() {
        assertComparedPairByPair("--model", "tiny");
    }

    @Test
    void timesTheUNetAgainstItsPyTorchPeerToo() {
        assertComparedPairByPair("--network", "unet", "--model", "small");
    }

    @Test
    void anUnknownNetworkOrPresetIsRefusedInOneLine() {
        for (String[] args : new String[][] {{"--network", "resnet"}, {"--network", "unet", "--model", "tiny"}}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            String[] all = Stream.concat(Stream.of("bench", "compare"), Arrays.stream(args)).toArray(String[]::new);
            assertEquals(2, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all), out.toString());
            assertTrue(err.toString().startsWith("error: --"), err.toString());
        }
    }

    /** One run of {@code bench compare} with {@code network}'s options, batch 1, a training step at batch 2, two pairs. */
    private static void assertComparedPairByPair(String... network) {
        NativeBuild.configure();
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] args = Stream.of(new String[] {"bench", "compare"}, network,
                new String[] {"--batches", "1", "--train-batch", "2", "--pairs", "2", "--reps", "1"})
                .flatMap(Arrays::stream).toArray(String[]::new);
        String cpus = CpuAffinity.allowed();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, err.toString());
        assertEquals(cpus, CpuAffinity.allowed(), "the command gives the thread back its CPUs");
        String why = PeerProcess.unavailable("/usr/bin/python3");
        if (why != null) {
            assertEquals("skipped: " + why, out.toString().strip());
            return;
        }
        String text = out.toString();
        assertTrue(text.contains("parameters on both sides"), text);
        if (Platform.isLinux()) assertTrue(text.contains("1 thread(s) each side, both on CPU 0;"), text);
        for (String figure : new String[] {"forward b1", "train step b2"}) {
            String row = text.lines().filter(l -> l.startsWith(figure + " ")).findFirst().orElseThrow(() -> new AssertionError(text));
            assertTrue(row.matches(".*\\d+\\.\\d\\d \\d+\\.\\d\\d \\(median \\d+\\.\\d\\d\\)$"), row);
        }
        String rss = text.lines().filter(l -> l.startsWith("peak RSS of training at batch 2 (a fresh process each): ours "))
                .findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(rss.matches(".*ours \\d+ MB, PyTorch \\d+ MB \\(ratio \\d+\\.\\d\\d\\)$"), "our side measured in its own JVM: " + rss);
    }
}
