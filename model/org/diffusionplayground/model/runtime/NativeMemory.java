package org.diffusionplayground.model.runtime;

/**
 * glibc's malloc told to keep the memory the native libraries free for their next allocation,
 * instead of handing it back to the kernel: set from Java at start-up ({@code mallopt}, through
 * JNA), so that it holds however the jar is launched.
 *
 * <p>Why: every page the kernel hands out again is a page fault on its first touch, and a fault
 * costs 11–14 µs on the VMs this project is measured on (measured: 4 KB pages of fresh direct
 * buffers, touched once). By default glibc serves blocks of 128 KB and more (a convolution's
 * workspace, oneDNN's reordered weights) with their own {@code mmap} and unmaps them when freed,
 * and trims its heap's top: freeing and allocating 27, 9, 3, 18 and 1 MB in a loop took 11,500
 * faults (126 ms) an iteration with the defaults, 3–4 faults (0.8 ms) with these settings.
 *
 * <p>The three go together: setting the trim threshold or the top pad alone also fixes the mmap
 * threshold at its 128 KB default (glibc's {@code mallopt} turns its dynamic threshold off), which
 * made the reference U-Net's training step 3–4× slower (measured).
 */
public final class NativeMemory {

    /** mallopt's parameter numbers (glibc's malloc.h). */
    private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
    /** Blocks up to this size come from the heap and are kept when freed; larger ones are mapped as usual. */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory at the heap's top kept up to this size, and the heap grown by this much more than asked. */
    static final int TRIM_THRESHOLD = 1 << 30, TOP_PAD = 64 << 20;

    private static Boolean applied;

    private NativeMemory() {
    }

    /**
     * Applies the settings once (on Linux with glibc; {@code -Dplayground.malloc=off} leaves
     * glibc's defaults); returns whether glibc accepted all three.
     */
    public static synchronized boolean keepFreed() {
        if (applied == null) applied = !"off".equals(System.getProperty("playground.malloc")) && apply();
        return applied;
    }

    private static boolean apply() {
        boolean ok = true; // mallopt returns 1 on success
        for (int[] setting : new int[][] {{M_MMAP_THRESHOLD, MMAP_THRESHOLD}, {M_TRIM_THRESHOLD, TRIM_THRESHOLD}, {M_TOP_PAD, TOP_PAD}}) {
            ok &= Libc.call("mallopt", setting[0], setting[1]) == 1; // not glibc (musl has no mallopt): its defaults stay
        }
        return ok;
    }
}
