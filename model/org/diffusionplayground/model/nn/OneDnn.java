package org.diffusionplayground.model.nn;

import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN's own library (JavaCPP's oneDNN 2.5 presets) as the hand-written passes use it: the CPU
 * engine, loaded on first use after ND4J's native library, float memory descriptors, and memory
 * objects pointed at ND4J arrays' buffers without a copy.
 *
 * <p>oneDNN's threads are OpenMP's: the library shares ND4J's {@code libgomp} (one copy in the
 * process, provided ND4J's native library loads first, which {@link #engine} ensures), so
 * {@link org.diffusionplayground.model.runtime.Threads} limits them as it limits ND4J's.
 */
final class OneDnn {

    /** {@code -Dplayground.onednn=false}: ND4J's conv2d instead, for side-by-side measurements. */
    static final String PROPERTY = "playground.onednn";

    private static final engine CPU;
    private static final String REASON;

    static {
        engine cpu = null;
        String reason = "";
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            reason = "turned off (-D" + PROPERTY + "=false)";
        } else {
            try {
                Nd4j.getEnvironment(); // ND4J's native library and its libgomp first
                cpu = new engine(engine.kind.cpu, 0);
            } catch (Throwable e) { // UnsatisfiedLinkError (no native library for this platform), a oneDNN error
                reason = "not loaded (" + e + ")";
            }
        }
        CPU = cpu;
        REASON = reason;
    }

    private OneDnn() {
    }

    /** The CPU engine, or empty where the library could not load or is turned off ({@link #reason}). */
    static Optional<engine> engine() {
        return Optional.ofNullable(CPU);
    }

    /** The engine; an error naming {@link #reason} where there is none. */
    static engine cpu() {
        return engine().orElseThrow(() -> new IllegalStateException("oneDNN: " + REASON));
    }

    /** Why there is no engine ("" when there is one). */
    static String reason() {
        return REASON;
    }

    /** A float memory descriptor: oneDNN's dims are logical (N, C, H, W; O, I, H, W), the tag names the order in memory. */
    static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** A memory object of this descriptor with no buffer yet ({@link Handle#point} gives it one per call). */
    static memory unbound(memory.desc md) {
        return new memory(md, cpu(), new Handle().at(0));
    }

    /** A raw address handed to oneDNN, changed in place (no allocation per call). One per thread. */
    static final class Handle extends Pointer {
        private Handle at(long where) {
            address = where;
            return this;
        }

        /** Points {@code m} at a's values (checked: FLOAT, this shape, contiguous in c order). */
        void point(memory m, INDArray a, long[] shape, String role) {
            if (a.dataType() != DataType.FLOAT || !Arrays.equals(a.shape(), shape)) {
                throw new IllegalArgumentException("oneDNN %s: expected FLOAT %s, got %s %s".formatted(role,
                        Arrays.toString(shape), a.dataType(), Arrays.toString(a.shape())));
            }
            m.set_data_handle(at(Views.contiguous(a).data().address() + a.offset() * Float.BYTES));
        }
    }
}
