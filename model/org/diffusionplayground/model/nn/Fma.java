package org.diffusionplayground.model.nn;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * a·b + c as one fused multiply-add where the processor has the instruction, as a multiply and an
 * add where it does not. {@link Math#fma} is one instruction when HotSpot's {@code UseFMA} is on (x86
 * since 2013, ARMv8) and C2 vectorises it, but without the instruction it is computed exactly in
 * software: the GroupNorm+SiLU loops then ran hundreds of times slower (measured with
 * {@code -XX:-UseFMA}), and some low-end x86 laptops still lack FMA. The choice is a constant, so the
 * JIT folds it away.
 */
public final class Fma {

    /** Whether {@link Math#fma} runs as a hardware instruction in this VM. */
    public static final boolean HARDWARE = hardware();

    private Fma() {
    }

    /** a·b + c, fused where {@link #HARDWARE}. */
    public static float mulAdd(float a, float b, float c) {
        return HARDWARE ? Math.fma(a, b, c) : a * b + c;
    }

    private static boolean hardware() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError notHotSpot) { // another VM, or no management module: play safe
            return false;
        }
    }
}
