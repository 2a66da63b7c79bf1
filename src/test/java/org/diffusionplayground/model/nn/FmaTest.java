package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Fma} follows the VM's {@code UseFMA}, and both ways compute a·b + c. */
class FmaTest {

    /** Prints {@link Fma#HARDWARE} in a VM of its own. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(Fma.HARDWARE + " " + Fma.mulAdd(0.1f, 10f, -1f));
        }
    }

    @Test
    void aVmWithoutTheInstructionMultipliesAndAdds() throws Exception {
        assertEquals("false " + (0.1f * 10f - 1f), probe("-XX:-UseFMA"));
    }

    @Test
    void aVmWithTheInstructionFuses() throws Exception {
        assumeTrue(Fma.HARDWARE, "this machine's VM has no FMA instruction");
        float fused = Math.fma(0.1f, 10f, -1f);
        assertNotEquals(0.1f * 10f - 1f, fused, "the product is not rounded before the add");
        assertEquals(fused, Fma.mulAdd(0.1f, 10f, -1f));
        assertEquals("true " + fused, probe("-XX:+UseFMA"));
    }

    private static String probe(String flag) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), flag, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
