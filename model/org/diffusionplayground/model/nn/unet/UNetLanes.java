package org.diffusionplayground.model.nn.unet;

import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.runtime.SecondLane;
import org.diffusionplayground.model.runtime.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fast passes of one network ({@link UNetInference}, {@link UNetBackward}) on two lanes: a
 * batch of at least {@link #SPLIT} rows is cut in halves that run at the same time
 * ({@link SecondLane}), each with its own buffers. Every row of the U-Net is computed
 * independently of the others (GroupNorm normalises within a sample), so the halves concatenate
 * to the whole; for training the two halves' gradients add up.
 *
 * <p>Why two lanes, not two OpenMP threads per op: oneDNN's convolutions at these sizes (16–128
 * channels, 7–28 pixels) gain almost nothing from a second OpenMP thread (U-Net "small" at batch
 * 32: 22.9 ms of convolutions with one, 24.6 ms with two, measured), while two independent
 * half-batches keep both cores busy; and OpenMP's barriers were the source of the ~30 ms per op
 * stalls on a shared machine. With one core, or a small batch, one lane runs alone and splits only
 * its Java kernels; {@link #enabled(boolean) disabled}, neither.
 */
final class UNetLanes {

    /** Smallest batch cut in two. */
    static final int SPLIT = 4;

    private final UNetInference[] passes;
    private final UNetBackward[] backs;
    /** Each lane's dL/d(out), kept while the batch size stays (a fresh one each step was garbage the GC frees late). */
    private final INDArray[] dOuts = new INDArray[2];
    private final boolean twoCores = SecondLane.available();
    private boolean enabled = true;

    UNetLanes(UNetConfig config, org.nd4j.autodiff.samediff.SameDiff sd) {
        passes = new UNetInference[] {new UNetInference(config, sd), new UNetInference(config, sd)};
        backs = new UNetBackward[] {new UNetBackward(passes[0]), new UNetBackward(passes[1])};
        passes[1].parallel(false);
    }

    /**
     * Whether a batch may use a second core: split over two lanes or, below {@link #SPLIT} rows,
     * by the Java kernels' halves. Off, no second Java thread is used (OpenMP's
     * threads are {@link Threads}' business) — what {@code bench compare --threads 1} needs; tests
     * compare both ways.
     */
    void enabled(boolean on) {
        enabled = on;
    }

    /** Both lanes' convolution route ({@link UNetInference#oneDnn(boolean)}). */
    void oneDnn(boolean on) {
        for (UNetInference pass : passes) pass.oneDnn(on);
    }

    /** out [B, 1, S, S] for x [B, 1, S, S], t [B] FLOAT, labels [B] INT32: a fresh array. */
    INDArray output(INDArray x, INDArray t, INDArray labels) {
        int b = (int) x.size(0);
        if (!split(b)) {
            passes[0].parallel(enabled && twoCores);
            return passes[0].output(x, t, labels);
        }
        passes[0].parallel(false);
        int h = b / 2;
        var halves = SecondLane.both(() -> passes[0].output(rows(x, 0, h), rows(t, 0, h), rows(labels, 0, h)),
                () -> passes[1].output(rows(x, h, b), rows(t, h, b), rows(labels, h, b)));
        return Nd4j.concat(0, halves.first(), halves.second());
    }

    /**
     * The loss and its gradients (see {@link UNet#gradients}); the gradient arrays are lane 0's,
     * reused. x, t, labels are the batch's network inputs, already checked and cast.
     */
    Network.Gradients gradients(INDArray x, INDArray t, INDArray labels, Batch batch, Loss loss) {
        int b = (int) x.size(0);
        if (!split(b)) {
            passes[0].parallel(enabled && twoCores);
            return lane(0, x, t, labels, batch, loss, b);
        }
        passes[0].parallel(false);
        int h = b / 2;
        var halves = SecondLane.both(() -> lane(0, rows(x, 0, h), rows(t, 0, h), rows(labels, 0, h), batch.rows(0, h), loss, b),
                () -> lane(1, rows(x, h, b), rows(t, h, b), rows(labels, h, b), batch.rows(h, b), loss, b));
        return halves.first().plus(halves.second());
    }

    /** Forward, loss and backward of one lane's rows of a batch of {@code total} rows. */
    private Network.Gradients lane(int k, INDArray x, INDArray t, INDArray labels, Batch rows, Loss loss, int total) {
        Tape tape = new Tape();
        INDArray out = passes[k].forward(x, t, labels, tape);
        long t0 = OpClock.start();
        if (dOuts[k] == null || !java.util.Arrays.equals(dOuts[k].shape(), out.shape())) dOuts[k] = Nd4j.create(DataType.FLOAT, out.shape());
        INDArray dOut = dOuts[k]; // overwritten by the loss
        double share = loss.apply(out, rows, total, dOut);
        OpClock.lap("loss", t0);
        return new Network.Gradients(share, backs[k].run(tape, dOut));
    }

    private boolean split(int b) {
        return enabled && twoCores && b >= SPLIT;
    }

    private static INDArray rows(INDArray a, int from, int to) {
        // a view first becomes an array of its own: ND4J M2.1's get(interval) on some views of
        // views returned an empty array (measured)
        return (a.isView() ? a.dup('c') : a).get(NDArrayIndex.interval(from, to)).dup('c');
    }
}
