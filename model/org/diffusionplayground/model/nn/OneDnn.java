package org.diffusionplayground.model.nn;

import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
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

    /** A primitive's arguments: pairs of an argument key ({@code dnnl.DNNL_ARG_…}) and its memory. */
    static IntMemoryMap args(Object... keysAndMemories) {
        IntMemoryMap args = new IntMemoryMap();
        for (int i = 0; i < keysAndMemories.length; i += 2) args.put((Integer) keysAndMemories[i], (memory) keysAndMemories[i + 1]);
        return args;
    }

    /** A copy from one memory's layout into another's (a oneDNN reorder), built once, run per call. */
    static final class Copy {
        private final reorder reorder;
        private final IntMemoryMap args;

        Copy(memory from, memory to) {
            this.reorder = new reorder(from, to);
            this.args = args(dnnl.DNNL_ARG_FROM, from, dnnl.DNNL_ARG_TO, to);
        }

        void run(stream stream) {
            reorder.execute(stream, args);
        }
    }

    /**
     * A convolution's shapes, padding k/2: NHWC input [B, S, S, in] and output [B, S', S', out] with
     * S' = (S + 2·(k/2) − k) / stride + 1, weights [kH, kW, in, out] and bias [out] as ND4J keeps
     * them, and their oneDNN descriptors (oneDNN's dims are logical: N, C, H, W and O, I, H, W).
     */
    record ConvShape(int batch, int size, int in, int out, int k, int stride) {
        int outSize() {
            return (size + 2 * (k / 2) - k) / stride + 1;
        }

        long[] src() {
            return new long[] {batch, size, size, in};
        }

        long[] dst() {
            return new long[] {batch, outSize(), outSize(), out};
        }

        long[] weights() {
            return new long[] {k, k, in, out};
        }

        long[] bias() {
            return new long[] {out};
        }

        memory.desc srcDesc() {
            return desc(new long[] {batch, in, size, size}, memory.format_tag.nhwc);
        }

        memory.desc dstDesc() {
            return desc(new long[] {batch, out, outSize(), outSize()}, memory.format_tag.nhwc);
        }

        /** The weights as ND4J keeps them ({@code hwio}), or in whatever layout a primitive chooses ({@code any}). */
        memory.desc weightsDesc(memory.format_tag tag) {
            return desc(new long[] {out, in, k, k}, tag);
        }

        memory.desc biasDesc() {
            return desc(bias(), memory.format_tag.x);
        }

        long[] strides() {
            return new long[] {stride, stride};
        }

        /** The same on every side: k/2. */
        long[] padding() {
            return new long[] {k / 2, k / 2};
        }
    }

    /** A raw address handed to oneDNN, changed in place (no allocation per call). One per thread. */
    static final class Handle extends Pointer {
        private Handle at(long where) {
            address = where;
            return this;
        }

        /** Points {@code m} at a's values ({@link OneDnn#address}). */
        void point(memory m, INDArray a, long[] shape, String role) {
            m.set_data_handle(at(OneDnn.address(a, shape, role)));
        }
    }

    /** to ← from, a native copy of arrays of this shape ({@link #address}). */
    static void copy(INDArray from, INDArray to, long[] shape, String role) {
        long bytes = to.length() * Float.BYTES;
        Pointer.memcpy(new Handle().at(address(to, shape, role)), new Handle().at(address(from, shape, role)), bytes);
    }

    /** The address of a's first value, checked: FLOAT, this shape, contiguous in c order. */
    private static long address(INDArray a, long[] shape, String role) {
        if (a.dataType() != DataType.FLOAT || !Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException("oneDNN %s: expected FLOAT %s, got %s %s".formatted(role,
                    Arrays.toString(shape), a.dataType(), Arrays.toString(a.shape())));
        }
        return Views.contiguous(a).data().address() + a.offset() * Float.BYTES;
    }
}
