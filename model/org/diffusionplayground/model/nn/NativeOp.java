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
 *
 * <p>Each run ends with the context's {@code purge()}: libnd4j's context wraps every array it is
 * given in a native NDArray handle that it frees only on purge or when the context itself is freed,
 * so a context reused without it grew by about 380 bytes a call (measured: a matmul called 500,000
 * times, RSS 532 → 724 MB; flat at 342 MB with the purge), and freed handles to arrays that Java
 * had long released when the context was collected.
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
        try {
            Nd4j.getExecutioner().exec(op, context);
        } finally {
            context.purge(); // while the arrays are still alive: see the class comment
        }
    }
}
