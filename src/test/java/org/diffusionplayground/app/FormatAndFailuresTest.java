package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FormatAndFailuresTest {

    @Test
    void numbersShowFourSignificantDigitsTrueMinusAndInfinity() {
        assertEquals("0.07890", Format.number(0.0789));
        assertEquals("1.000", Format.number(1));
        assertEquals("−2.456", Format.number(-2.4561));
        assertEquals("0", Format.number(0));
        assertEquals("4.036e−05", Format.number(4.036e-5));
        assertEquals("+∞", Format.number(Double.POSITIVE_INFINITY));
        assertEquals("—", Format.number(Double.NaN));
        assertEquals("₁₂₀", Format.subscript(120));
    }

    @Test
    void failuresBecomeOneSentenceWithTheCause() {
        assertEquals("Loading x failed: x.gz: truncated",
                Failures.describe("Loading x", new ExecutionException(new IOException("x.gz: truncated"))));
        assertEquals("Sampling failed: cancelled", Failures.describe("Sampling", new CancellationException()));
        String oom = Failures.describe("Training", new OutOfMemoryError("Java heap space"));
        assertTrue(oom.startsWith("Training failed: out of memory (max heap ") && oom.contains("-Xmx"), oom);
        assertEquals("Rendering failed: IllegalStateException: boom",
                Failures.describe("Rendering", new IllegalStateException("boom")));
        assertEquals("Rendering failed: NullPointerException", Failures.describe("Rendering", new NullPointerException()));
    }
}
