package org.diffusionplayground.model.nn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * <p>The library and its threads: {@link OneDnn}. Not thread-safe: one per pass (each has its own
 * stream). Its gradients: {@link OneDnnConvBackward}.
 */
public final class OneDnnConv {

    private final OneDnn.ConvShape shape;
    private final boolean adds;
    private final stream stream;
    private final convolution_forward conv;
    private final OneDnn.Copy toPrimitiveWeights;
    private final memory src, dst, userWeights, bias;
    private final OneDnn.Handle handle = new OneDnn.Handle();
    private final IntMemoryMap convArgs;

    /**
     * @param batch  B
     * @param size   the input's height and width S
     * @param in     input channels
     * @param out    output channels
     * @param k      kernel height and width (odd: padding k/2 keeps S for stride 1)
     * @param stride both directions; S' = (S + 2·(k/2) − k) / stride + 1
     * @throws IllegalStateException where oneDNN cannot be used ({@link #unavailableReason})
     * @throws RuntimeException       where it has no implementation for these shapes
     */
    public OneDnnConv(int batch, int size, int in, int out, int k, int stride) {
        this(batch, size, in, out, k, stride, false);
    }

    /**
     * As above; with {@code adds}, a convolution that adds its result to the output array's values
     * (oneDNN's sum post-op: the kernel reads y as it writes it), for {@link #run(INDArray, INDArray,
     * INDArray, INDArray, INDArray)}: a residual block's sum without a pass of its own.
     */
    public OneDnnConv(int batch, int size, int in, int out, int k, int stride, boolean adds) {
        engine cpu = OneDnn.cpu();
        this.adds = adds;
        this.shape = new OneDnn.ConvShape(batch, size, in, out, k, stride);
        memory.desc srcMd = shape.srcDesc(), dstMd = shape.dstDesc(), userWeightsMd = shape.weightsDesc(memory.format_tag.hwio),
                biasMd = shape.biasDesc();
        primitive_attr attr = new primitive_attr();
        if (adds) {
            post_ops sum = new post_ops();
            sum.append_sum(1f, memory.data_type.f32);
            attr.set_post_ops(sum);
        }
        var pd = new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_inference,
                dnnl.algorithm.convolution_direct, srcMd, shape.weightsDesc(memory.format_tag.any), biasMd, dstMd,
                shape.strides(), shape.padding(), shape.padding()), attr, cpu);
        this.stream = new stream(cpu);
        this.conv = new convolution_forward(pd);
        this.src = OneDnn.unbound(srcMd);
        this.dst = OneDnn.unbound(dstMd);
        this.userWeights = OneDnn.unbound(userWeightsMd);
        this.bias = OneDnn.unbound(biasMd);
        memory primitiveWeights = new memory(pd.weights_desc(), cpu); // oneDNN's own buffer
        this.toPrimitiveWeights = new OneDnn.Copy(userWeights, primitiveWeights);
        this.convArgs = OneDnn.args(dnnl.DNNL_ARG_SRC, src, dnnl.DNNL_ARG_WEIGHTS, primitiveWeights, dnnl.DNNL_ARG_BIAS, bias,
                dnnl.DNNL_ARG_DST, dst);
    }

    /** y ← conv(x, w) + b; every array FLOAT, contiguous in c order, of this convolution's shapes. */
    public void run(INDArray x, INDArray w, INDArray b, INDArray y) {
        if (adds) throw new IllegalStateException("this convolution adds to its output: run it with the residual");
        execute(x, w, b, y);
    }

    /**
     * y ← conv(x, w) + b + residual, for a convolution built to add: the residual is first copied
     * into y, unless it is y itself (already holding, say, a skip projection's output).
     */
    public void run(INDArray x, INDArray w, INDArray b, INDArray y, INDArray residual) {
        if (!adds) throw new IllegalStateException("this convolution does not add to its output");
        if (residual != y) OneDnn.copy(residual, y, shape.dst(), "conv residual");
        execute(x, w, b, y);
    }

    /** Whether it adds to its output ({@link #OneDnnConv(int, int, int, int, int, int, boolean)}). */
    public boolean adds() {
        return adds;
    }

    private void execute(INDArray x, INDArray w, INDArray b, INDArray y) {
        handle.point(src, x, shape.src(), "conv input");
        handle.point(userWeights, w, shape.weights(), "conv weights");
        handle.point(bias, b, shape.bias(), "conv bias");
        handle.point(dst, y, shape.dst(), "conv output");
        toPrimitiveWeights.run(stream);
        conv.execute(stream, convArgs);
        stream._wait();
    }

    /** B, the batch size it was built for. */
    public int batch() {
        return shape.batch();
    }

    /** Whether oneDNN's own library loaded here (and is not turned off by {@code -Dplayground.onednn=false}). */
    public static boolean available() {
        return OneDnn.engine().isPresent();
    }

    /** Why {@link #available} is false ("" when it is true). */
    public static String unavailableReason() {
        return OneDnn.reason();
    }
}
