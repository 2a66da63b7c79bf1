package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    /** glibc accepts all three settings where there is glibc (every Linux this project runs on), and applying twice is once. */
    @Test
    void glibcAcceptsTheSettings() {
        boolean glibc = Platform.isLinux() && Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(glibc, NativeMemory.keepFreed());
        assertEquals(glibc, NativeMemory.keepFreed());
    }

    /** The mmap threshold stays below the trim threshold: a kept block must also survive the heap's trimming. */
    @Test
    void keptBlocksAreNotTrimmedAway() {
        assertTrue(NativeMemory.MMAP_THRESHOLD < NativeMemory.TRIM_THRESHOLD);
        assertTrue(NativeMemory.TOP_PAD <= NativeMemory.TRIM_THRESHOLD);
    }
}
