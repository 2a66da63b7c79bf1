package org.diffusionplayground.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ND4J custom op ("conv2d", "conv2d_bp") that a hand-written pass calls on every step with new
 * arrays: the op and its native context are built once with the integer arguments, and each call
 * only sets the arrays and runs it. Building the op each call ({@code new Conv2D(…)}, a builder) cost
 * a 3×3 conv at batch 1 about 130–240 µs against about 100 µs this way (measured, one thread), and a
 * U-Net runs some 25 of them a pass. Not thread-safe: one per pass.
 */
public final class NativeOp {

    private final DynamicCustomOp op;
    private final OpContext context;

    public NativeOp(String name, long... integerArguments) {
        this.op = DynamicCustomOp.builder(name).build();
        this.context = Nd4j.getExecutioner().buildContext();
        context.setIArguments(integerArguments);
    }

    /** As above, with floating-point arguments too (matmul's alpha and beta). */
    public NativeOp(String name, double[] floatArguments, long... integerArguments) {
        this(name, integerArguments);
        context.setTArguments(floatArguments);
    }

    /** Runs the op on {@code inputs}, writing {@code outputs}. */
    public void run(INDArray[] inputs, INDArray... outputs) {
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        Nd4j.getExecutioner().exec(op, context);
    }
}
