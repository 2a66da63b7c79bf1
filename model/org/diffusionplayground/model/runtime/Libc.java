package org.diffusionplayground.model.runtime;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** A function of the C library called through JNA: glibc's settings and the scheduler's, which Java has no API for. */
final class Libc {

    /** What {@link #call} returns where there is no such function (not Linux, not glibc) or the call failed to link. */
    static final int UNAVAILABLE = Integer.MIN_VALUE;

    private Libc() {
    }

    /** {@code function(args…)}'s int result, or {@link #UNAVAILABLE}. */
    static int call(String function, Object... args) {
        if (!Platform.isLinux()) return UNAVAILABLE;
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(function).invokeInt(args);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return UNAVAILABLE;
        }
    }
}
