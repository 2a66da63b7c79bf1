package org.diffusionplayground.model.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * SameDiff's first {@code fit()} prints ~220 "Added differentiated op" lines straight to
 * {@code System.out} (ND4J 1.0.0-M2.1, measured). {@link #install()} wraps standard output in a filter that
 * drops exactly those lines and passes everything else through unchanged.
 */
public final class QuietConsole {

    static final String NOISE = "Added differentiated op";
    private static boolean installed;

    private QuietConsole() {
    }

    public static synchronized void install() {
        if (installed) return;
        installed = true;
        System.setOut(new PrintStream(new LineFilter(System.out), true, StandardCharsets.UTF_8));
    }

    /** Buffers one line at a time and forwards it unless it is ND4J's noise. */
    static final class LineFilter extends OutputStream {
        private final OutputStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') emit();
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            // a partial line (a progress bar redrawn with \r) goes out at once
            if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith(NOISE)) {
                target.write(line.toByteArray());
                line.reset();
            }
            target.flush();
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.startsWith(NOISE)) return;
            try {
                target.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
