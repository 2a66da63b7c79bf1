package org.diffusionplayground.model.nn;

import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
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
 * One 2-D convolution's forward pass, y = conv(x, W) + b with padding k/2, for fixed shapes: NHWC
 * activations [B, S, S, in] → [B, S', S', out], weights [kH, kW, in, out] and bias [out] as ND4J
 * keeps them. Built once as a oneDNN primitive (through JavaCPP's oneDNN 2.5 presets); each call
 * points it at the arrays' buffers, reorders the weights into the layout the primitive chose (so
 * training or loading new weights between calls is seen) and runs it.
 *
 * <p>Why not ND4J's {@code conv2d}, which runs the same oneDNN kernels: libnd4j builds the
 * primitive descriptor, its blocking heuristics and its memory objects afresh on every call and
 * allocates as it goes. Measured one call at a time, alternating, one core: a 3×3 conv 16→16 at
 * 28×28 took 48–51 µs through ND4J and 20–21 µs here at batch 1, 323–345 against 288–303 µs at
 * batch 16; a 1×1 conv 96→32 at 14×14, batch 16, 131–135 against 90 µs. The outputs are equal bit
 * for bit (same kernel, same blocking).
 *
 * <p>oneDNN's threads are OpenMP's: the library shares ND4J's {@code libgomp} (one copy in the
 * process, provided ND4J's native library loads first, which {@link #available} ensures), so
 * {@link org.diffusionplayground.model.runtime.Threads} limits them as it limits ND4J's. Not
 * thread-safe: one per pass (each has its own stream).
 */
public final class OneDnnConv {

    /** {@code -Dplayground.onednn=false}: ND4J's conv2d instead, for side-by-side measurements. */
    public static final String PROPERTY = "playground.onednn";

    private final long[] srcShape, dstShape, weightShape;
    private final int out;
    private final stream stream;
    private final convolution_forward conv;
    private final reorder toPrimitiveWeights;
    private final memory src, dst, userWeights, bias;
    private final Address handle = new Address();
    private final IntMemoryMap convArgs = new IntMemoryMap(), reorderArgs = new IntMemoryMap();

    /**
     * @param batch  B
     * @param size   the input's height and width S
     * @param in     input channels
     * @param out    output channels
     * @param k      kernel height and width (odd: padding k/2 keeps S for stride 1)
     * @param stride both directions; S' = (S + 2·(k/2) − k) / stride + 1
     * @throws IllegalStateException where oneDNN cannot be used ({@link #unavailableReason}) or has
     *                               no implementation for these shapes
     */
    public OneDnnConv(int batch, int size, int in, int out, int k, int stride) {
        engine cpu = Library.engine().orElseThrow(() -> new IllegalStateException("oneDNN: " + unavailableReason()));
        int outSize = (size + 2 * (k / 2) - k) / stride + 1;
        this.srcShape = new long[] {batch, size, size, in};
        this.dstShape = new long[] {batch, outSize, outSize, out};
        this.weightShape = new long[] {k, k, in, out};
        this.out = out;
        // oneDNN's dims are always logical N, C, H, W and O, I, H, W; the format tag names the memory order
        memory.desc srcMd = desc(new long[] {batch, in, size, size}, memory.format_tag.nhwc);
        memory.desc dstMd = desc(new long[] {batch, out, outSize, outSize}, memory.format_tag.nhwc);
        memory.desc userWeightsMd = desc(new long[] {out, in, k, k}, memory.format_tag.hwio);
        memory.desc anyWeights = desc(new long[] {out, in, k, k}, memory.format_tag.any);
        memory.desc biasMd = desc(new long[] {out}, memory.format_tag.x);
        long[] strides = {stride, stride}, padding = {k / 2, k / 2};
        var pd = new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_inference,
                dnnl.algorithm.convolution_direct, srcMd, anyWeights, biasMd, dstMd, strides, padding, padding), cpu);
        this.stream = new stream(cpu);
        this.conv = new convolution_forward(pd);
        Pointer none = handle.at(0); // each call sets the real buffers
        this.src = new memory(srcMd, cpu, none);
        this.dst = new memory(dstMd, cpu, none);
        this.userWeights = new memory(userWeightsMd, cpu, none);
        this.bias = new memory(biasMd, cpu, none);
        memory primitiveWeights = new memory(pd.weights_desc(), cpu); // oneDNN's own buffer
        this.toPrimitiveWeights = new reorder(userWeights, primitiveWeights);
        reorderArgs.put(dnnl.DNNL_ARG_FROM, userWeights);
        reorderArgs.put(dnnl.DNNL_ARG_TO, primitiveWeights);
        convArgs.put(dnnl.DNNL_ARG_SRC, src);
        convArgs.put(dnnl.DNNL_ARG_WEIGHTS, primitiveWeights);
        convArgs.put(dnnl.DNNL_ARG_BIAS, bias);
        convArgs.put(dnnl.DNNL_ARG_DST, dst);
    }

    /** y ← conv(x, w) + b; every array FLOAT, contiguous in c order, of this convolution's shapes. */
    public void run(INDArray x, INDArray w, INDArray b, INDArray y) {
        point(src, x, srcShape, "input");
        point(userWeights, w, weightShape, "weights");
        point(bias, b, new long[] {out}, "bias");
        point(dst, y, dstShape, "output");
        toPrimitiveWeights.execute(stream, reorderArgs);
        conv.execute(stream, convArgs);
        stream._wait();
    }

    /** B, the batch size it was built for. */
    public int batch() {
        return (int) srcShape[0];
    }

    /** Whether oneDNN's own library loaded here (and is not turned off by {@link #PROPERTY}). */
    public static boolean available() {
        return Library.engine().isPresent();
    }

    /** Why {@link #available} is false ("" when it is true). */
    public static String unavailableReason() {
        return Library.REASON;
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** Points {@code m} at a's values (checked: FLOAT, this shape, contiguous in c order). */
    private void point(memory m, INDArray a, long[] shape, String role) {
        if (a.dataType() != DataType.FLOAT || !Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException("oneDNN conv %s: expected FLOAT %s, got %s %s".formatted(role,
                    Arrays.toString(shape), a.dataType(), Arrays.toString(a.shape())));
        }
        m.set_data_handle(handle.at(Views.contiguous(a).data().address() + a.offset() * Float.BYTES));
    }

    /** A raw address handed to oneDNN, changed in place (no allocation per call). */
    private static final class Address extends Pointer {
        Address at(long where) {
            address = where;
            return this;
        }
    }

    /**
     * The library, loaded on first use after ND4J's (for the shared OpenMP runtime), or why it
     * could not be: a platform without the native library (macOS on arm64), the property set off.
     */
    private static final class Library {
        static final engine CPU;
        static final String REASON;

        static {
            engine cpu = null;
            String reason = "";
            if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
                reason = "turned off (-D" + PROPERTY + "=false)";
            } else {
                try {
                    Nd4j.getEnvironment(); // ND4J's native library and its libgomp first
                    cpu = new engine(engine.kind.cpu, 0);
                } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, a oneDNN error
                    reason = "not loaded (" + e + ")";
                }
            }
            CPU = cpu;
            REASON = reason;
        }

        static Optional<engine> engine() {
            return Optional.ofNullable(CPU);
        }
    }
}
