package org.diffusionplayground.app;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

/** Turns a failure into one sentence a user can act on. */
public final class Failures {

    private Failures() {
    }

    /** A failure whose message is already the whole reason (e.g. a training run that diverged): shown as it is. */
    public static final class Plain extends Exception {

        private static final long serialVersionUID = 1L;

        public Plain(String message) {
            super(message);
        }
    }

    /** "&lt;what failed&gt;: &lt;why&gt;", e.g. "Loading dataset failed: x.gz: truncated …". */
    public static String describe(String what, Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && (e.getMessage() == null || e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.lang.reflect.InvocationTargetException || e instanceof java.io.UncheckedIOException)) {
            e = e.getCause();
        }
        String why;
        if (e instanceof OutOfMemoryError) {
            why = "out of memory (max heap %d MB); close other pages or start Java with a larger -Xmx"
                    .formatted(Runtime.getRuntime().maxMemory() >> 20);
        } else if (e instanceof CancellationException) {
            why = "cancelled";
        } else if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            why = "file not found: " + e.getMessage();
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied: " + e.getMessage();
        } else if (e.getMessage() == null || e.getMessage().isBlank()) {
            why = e.getClass().getSimpleName();
        } else if (e instanceof java.io.IOException || e instanceof IllegalArgumentException || e instanceof Plain) {
            why = e.getMessage();
        } else {
            why = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return what + " failed: " + why;
    }
}
