package org.diffusionplayground.model.nn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradients of {@link OneDnnConv}'s convolution y = conv(x, W) + b (NHWC, weights
 * [kH, kW, in, out], padding k/2) for fixed shapes: given x, W and dL/dy, it writes dL/dx (oneDNN's
 * backward-data primitive), dL/dW and dL/db (its backward-weights primitive). Both are built once;
 * each call reorders W into backward-data's layout and dL/dW out of backward-weights' layout into
 * ND4J's [kH, kW, in, out].
 *
 * <p>Why not ND4J's {@code conv2d_bp}: as with the forward pass, libnd4j builds the three
 * primitive descriptors (the forward one as a hint) on every call, and it lets oneDNN choose the
 * backward-data algorithm: avx512 Winograd ran 64 samples of the reference U-Net's up-path convs
 * 4–6× slower than two calls of 32 (192→64 at 14×14: 192 against 31 ms), which the backward pass
 * worked around by cutting the batch. Here both primitives are direct convolutions.
 *
 * <p>Not thread-safe: one per pass (each has its own stream).
 */
public final class OneDnnConvBackward {

    private final long[] srcShape, dstShape, weightShape, biasShape;
    private final stream stream;
    private final convolution_backward_data data;
    private final convolution_backward_weights weights;
    private final reorder toDataWeights, toUserGradient;
    private final memory src, diffSrc, diffDst, userWeights, userDiffWeights, diffBias;
    private final OneDnn.Handle handle = new OneDnn.Handle();
    private final IntMemoryMap dataArgs = new IntMemoryMap(), weightArgs = new IntMemoryMap(),
            toDataArgs = new IntMemoryMap(), toUserArgs = new IntMemoryMap();

    /** The shapes as for {@link OneDnnConv#OneDnnConv}. */
    public OneDnnConvBackward(int batch, int size, int in, int out, int k, int stride) {
        engine cpu = OneDnn.cpu();
        int outSize = (size + 2 * (k / 2) - k) / stride + 1;
        this.srcShape = new long[] {batch, size, size, in};
        this.dstShape = new long[] {batch, outSize, outSize, out};
        this.weightShape = new long[] {k, k, in, out};
        this.biasShape = new long[] {out};
        memory.desc srcMd = OneDnn.desc(new long[] {batch, in, size, size}, memory.format_tag.nhwc);
        memory.desc dstMd = OneDnn.desc(new long[] {batch, out, outSize, outSize}, memory.format_tag.nhwc);
        memory.desc userWeightsMd = OneDnn.desc(new long[] {out, in, k, k}, memory.format_tag.hwio);
        memory.desc anyWeights = OneDnn.desc(new long[] {out, in, k, k}, memory.format_tag.any);
        memory.desc biasMd = OneDnn.desc(biasShape, memory.format_tag.x);
        long[] strides = {stride, stride}, padding = {k / 2, k / 2};
        var direct = dnnl.algorithm.convolution_direct;
        var hint = new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_training, direct,
                srcMd, anyWeights, biasMd, dstMd, strides, padding, padding), cpu);
        var dataPd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(direct,
                srcMd, anyWeights, dstMd, strides, padding, padding), cpu, hint);
        var weightsPd = new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(direct,
                srcMd, anyWeights, biasMd, dstMd, strides, padding, padding), cpu, hint);
        this.stream = new stream(cpu);
        this.data = new convolution_backward_data(dataPd);
        this.weights = new convolution_backward_weights(weightsPd);
        this.src = OneDnn.unbound(srcMd);
        this.diffSrc = OneDnn.unbound(srcMd);
        this.diffDst = OneDnn.unbound(dstMd);
        this.userWeights = OneDnn.unbound(userWeightsMd);
        this.userDiffWeights = OneDnn.unbound(userWeightsMd);
        this.diffBias = OneDnn.unbound(biasMd);
        memory dataWeights = new memory(dataPd.weights_desc(), cpu), diffWeights = new memory(weightsPd.diff_weights_desc(), cpu);
        this.toDataWeights = new reorder(userWeights, dataWeights);
        this.toUserGradient = new reorder(diffWeights, userDiffWeights);
        toDataArgs.put(dnnl.DNNL_ARG_FROM, userWeights);
        toDataArgs.put(dnnl.DNNL_ARG_TO, dataWeights);
        toUserArgs.put(dnnl.DNNL_ARG_FROM, diffWeights);
        toUserArgs.put(dnnl.DNNL_ARG_TO, userDiffWeights);
        dataArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
        dataArgs.put(dnnl.DNNL_ARG_WEIGHTS, dataWeights);
        dataArgs.put(dnnl.DNNL_ARG_DIFF_SRC, diffSrc);
        weightArgs.put(dnnl.DNNL_ARG_SRC, src);
        weightArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
        weightArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, diffWeights);
        weightArgs.put(dnnl.DNNL_ARG_DIFF_BIAS, diffBias);
    }

    /**
     * dx ← dL/dx, dw ← dL/dW, db ← dL/db (overwritten, summed over the batch) for the input x, the
     * weights w and dy = dL/dy; every array FLOAT, contiguous in c order, of this convolution's shapes.
     */
    public void run(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db) {
        handle.point(src, x, srcShape, "conv gradient's input");
        handle.point(userWeights, w, weightShape, "conv gradient's weights");
        handle.point(diffDst, dy, dstShape, "conv gradient's dL/dy");
        handle.point(diffSrc, dx, srcShape, "conv gradient's dL/dx");
        handle.point(userDiffWeights, dw, weightShape, "conv gradient's dL/dW");
        handle.point(diffBias, db, biasShape, "conv gradient's dL/db");
        toDataWeights.execute(stream, toDataArgs);
        data.execute(stream, dataArgs);
        weights.execute(stream, weightArgs);
        toUserGradient.execute(stream, toUserArgs);
        stream._wait();
    }

    /** B, the batch size it was built for. */
    public int batch() {
        return (int) srcShape[0];
    }
}
