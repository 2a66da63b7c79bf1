package org.diffusionplayground.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file whole or not at all: into a temporary file beside it, renamed over the target
 * only when the writer has finished. A writer that throws (a cancelled export, a full disk)
 * leaves the target as it was and no temporary file behind.
 */
public final class AtomicWrite {

    /** Writes into an output stream; may throw, e.g. {@link java.util.concurrent.CancellationException}. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicWrite() {
    }

    public static void to(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // not Files.createTempFile: its owner-only permissions would pass to the file a class shares
        Path tmp = dir.resolve(".%s.%x.part".formatted(file.getFileName(), System.nanoTime()));
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
