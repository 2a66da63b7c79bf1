package org.diffusionplayground.model.nn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
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

    private final OneDnn.ConvShape shape;
    private final stream stream;
    private final convolution_backward_data data;
    private final convolution_backward_weights weights;
    private final OneDnn.Copy toDataWeights, toUserGradient;
    private final memory src, diffSrc, diffDst, userWeights, userDiffWeights, diffBias;
    private final OneDnn.Handle handle = new OneDnn.Handle();
    private final IntMemoryMap dataArgs, weightArgs;

    /** The shapes as for {@link OneDnnConv#OneDnnConv}. */
    public OneDnnConvBackward(int batch, int size, int in, int out, int k, int stride) {
        engine cpu = OneDnn.cpu();
        this.shape = new OneDnn.ConvShape(batch, size, in, out, k, stride);
        memory.desc srcMd = shape.srcDesc(), dstMd = shape.dstDesc(), userWeightsMd = shape.weightsDesc(memory.format_tag.hwio),
                anyWeights = shape.weightsDesc(memory.format_tag.any), biasMd = shape.biasDesc();
        long[] strides = shape.strides(), padding = shape.padding();
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
        this.toDataWeights = new OneDnn.Copy(userWeights, dataWeights);
        this.toUserGradient = new OneDnn.Copy(diffWeights, userDiffWeights);
        this.dataArgs = OneDnn.args(dnnl.DNNL_ARG_DIFF_DST, diffDst, dnnl.DNNL_ARG_WEIGHTS, dataWeights, dnnl.DNNL_ARG_DIFF_SRC, diffSrc);
        this.weightArgs = OneDnn.args(dnnl.DNNL_ARG_SRC, src, dnnl.DNNL_ARG_DIFF_DST, diffDst, dnnl.DNNL_ARG_DIFF_WEIGHTS, diffWeights,
                dnnl.DNNL_ARG_DIFF_BIAS, diffBias);
    }

    /**
     * dx ← dL/dx, dw ← dL/dW, db ← dL/db (overwritten, summed over the batch) for the input x, the
     * weights w and dy = dL/dy; every array FLOAT, contiguous in c order, of this convolution's shapes.
     */
    public void run(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db) {
        handle.point(src, x, shape.src(), "conv gradient's input");
        handle.point(userWeights, w, shape.weights(), "conv gradient's weights");
        handle.point(diffDst, dy, shape.dst(), "conv gradient's dL/dy");
        handle.point(diffSrc, dx, shape.src(), "conv gradient's dL/dx");
        handle.point(userDiffWeights, dw, shape.weights(), "conv gradient's dL/dW");
        handle.point(diffBias, db, shape.bias(), "conv gradient's dL/db");
        toDataWeights.run(stream);
        data.execute(stream, dataArgs);
        weights.execute(stream, weightArgs);
        toUserGradient.run(stream);
        stream._wait();
    }

    /** B, the batch size it was built for. */
    public int batch() {
        return shape.batch();
    }
}
