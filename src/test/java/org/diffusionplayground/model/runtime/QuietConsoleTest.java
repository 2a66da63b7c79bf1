package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuietConsoleTest {

    @Test
    void dropsOnlyNd4jsDifferentiatedOpLines() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new QuietConsole.LineFilter(sink), true, StandardCharsets.UTF_8);
        out.println("step 1 loss 0.5");
        out.println("Added differentiated op conv2d_bp");
        out.print("partial progress\r");
        out.flush();
        out.println("done");
        assertEquals("step 1 loss 0.5\npartial progress\rdone\n", sink.toString(StandardCharsets.UTF_8));
    }
}
