package org.diffusionplayground.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {

    /** A pinned thread may run on that CPU only, and so may a thread it starts afterwards; other threads are not touched. */
    @Test
    void aPinnedThreadAndItsChildrenStayOnTheCpu() throws Exception {
        assumeTrue(Platform.isLinux());
        String before = CpuAffinity.allowed();
        AtomicReference<String> pinned = new AtomicReference<>(), child = new AtomicReference<>();
        Thread t = new Thread(() -> {
            if (!CpuAffinity.pinCurrentThread(0)) return;
            pinned.set(CpuAffinity.allowed());
            Thread c = new Thread(() -> child.set(CpuAffinity.allowed()));
            c.start();
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join();
        assertEquals("0", pinned.get());
        assertEquals("0", child.get());
        assertEquals(before, CpuAffinity.allowed(), "the test's own thread is not pinned");
    }

    @Test
    void aCpuThatDoesNotExistIsRefused() {
        assertFalse(CpuAffinity.pinCurrentThread(-1));
        assertFalse(CpuAffinity.pinCurrentThread(5000));
        assumeTrue(Platform.isLinux());
        assertFalse(CpuAffinity.pinProcess(Long.MAX_VALUE, 0), "no such process");
        assertTrue(CpuAffinity.allowed().length() > 0);
    }
}
