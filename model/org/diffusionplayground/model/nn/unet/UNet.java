package org.diffusionplayground.model.nn.unet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Weights;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.nn.Network;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.autodiff.samediff.SDVariable;
import org.diffusionplayground.model.runtime.Backend;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The class-conditional U-Net of {@link UNetGraph} behind the {@link Denoiser} interface. One
 * forward pass takes a per-sample label vector, so classifier-free guidance can run its
 * conditional and unconditional halves as one batch. Passes are serialised (synchronized): the
 * fast passes reuse one set of buffers per network, so two threads sharing a network take turns.
 */
public final class UNet implements Denoiser, Network {

    private final UNetConfig config;
    private final SameDiff sd;
    private final GaussianPath schedule;
    private final UNetLanes lanes;
    private boolean handWritten = Backend.cpu();

    public UNet(UNetConfig config, SameDiff sd) {
        this.config = config;
        this.sd = sd;
        this.schedule = config.noiseSchedule();
        this.lanes = new UNetLanes(config, sd);
    }

    /** A freshly initialised network (weights drawn from {@code seed}). */
    public static UNet create(UNetConfig config, long seed) {
        return new UNet(config, UNetGraph.build(config, seed));
    }

    /**
     * A network of {@code config} holding the given weights. Every trainable variable must be
     * present with its exact shape; extra names are an error too (a different architecture).
     */
    public static UNet withWeights(UNetConfig config, Map<String, INDArray> weights) {
        UNet net = create(config, 0);
        net.setWeights(weights);
        return net;
    }

    /**
     * Predicts the output of {@link #parameterization()} for x_t at one time t.
     *
     * @param x    [B, 1, S, S], S = {@link UNetConfig#SIZE}
     * @param cond labels [B] in [0, numClasses], numClasses meaning "no class"; null = all null
     */
    @Override
    public INDArray predict(INDArray x, double t, INDArray cond) {
        long b = checkInput(x);
        return predict(x, Nd4j.valueArrayOf(new long[] {b}, (float) t), cond);
    }

    /**
     * As {@link #predict(INDArray, double, INDArray)} with a time per sample, t [B]. Runs the
     * fast inference pass ({@link UNetInference}, a large batch in two halves at once:
     * {@link UNetLanes}); {@link #predictWithGraph} is the reference.
     */
    public synchronized INDArray predict(INDArray x, INDArray t, INDArray cond) {
        if (!handWritten) return predictWithGraph(x, t, cond);
        long b = checkInput(x);
        checkTimes(t, b);
        return lanes.output(x.castTo(DataType.FLOAT), t.reshape(b).castTo(DataType.FLOAT), labels(cond, b));
    }

    /** The same prediction through SameDiff's {@code output} on the training graph. */
    public synchronized INDArray predictWithGraph(INDArray x, INDArray t, INDArray cond) {
        long b = checkInput(x);
        checkTimes(t, b);
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(UNetGraph.X, x.castTo(DataType.FLOAT));
        in.put(UNetGraph.T, t.reshape(b).castTo(DataType.FLOAT));
        in.put(UNetGraph.LABEL, labels(cond, b));
        return sd.output(in, UNetGraph.OUT).get(UNetGraph.OUT);
    }

    /**
     * The loss and its gradients for one batch: the fast forward pass, {@code loss} on its output
     * and the hand-written backward pass ({@link UNetBackward}), not SameDiff.
     *
     * @param batch input [B, 1, S, S], t [B], cond [B] in [0, numClasses] (numClasses = none, null =
     *              all none), and what {@code loss} reads
     * @return the loss and dL/dθ by weight name: live arrays, overwritten by the next call
     */
    @Override
    public synchronized Gradients gradients(Batch batch, Loss loss) {
        if (!handWritten) return graphGradients(batch, loss);
        INDArray x = batch.input();
        long b = checkInput(x);
        checkTimes(batch.t(), b);
        return lanes.gradients(x.castTo(DataType.FLOAT), batch.t().reshape(b).castTo(DataType.FLOAT),
                labels(batch.cond(), b), batch, loss);
    }

    /**
     * The loss and its gradients through SameDiff's graph: the graph's output, {@code loss} on it
     * giving g = ∂L/∂out, then the gradients of the graph's scalar Σ out ⊙ g (a vector–Jacobian
     * product). What a GPU backend runs; on the CPU, the reference for the hand-written pass.
     */
    public synchronized Gradients graphGradients(Batch batch, Loss loss) {
        INDArray x = batch.input();
        long b = checkInput(x);
        checkTimes(batch.t(), b);
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(UNetGraph.X, x.castTo(DataType.FLOAT));
        in.put(UNetGraph.T, batch.t().reshape(b).castTo(DataType.FLOAT));
        in.put(UNetGraph.LABEL, labels(batch.cond(), b));
        INDArray out = sd.output(in, UNetGraph.OUT).get(UNetGraph.OUT);
        INDArray g = Nd4j.create(DataType.FLOAT, out.shape());
        double value = loss.apply(out, batch, batch.size(), g);
        in.put(UNetGraph.DOUT, g);
        sd.setLossVariables(UNetGraph.VJP);
        Map<String, INDArray> grads = sd.calculateGradients(in, weights().keySet());
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : weights().keySet()) ordered.put(name, grads.get(name));
        return new Gradients(value, ordered);
    }

    /**
     * Whether {@link #predict} and {@link #gradients} run the hand-written passes (the default on
     * the CPU backend) or SameDiff's graph (the default on a GPU backend: the graph runs there,
     * never the CPU kernels with host copies).
     */
    public synchronized void handWritten(boolean on) {
        handWritten = on;
    }

    /** Whether the hand-written passes run (see {@link #handWritten(boolean)}). */
    public synchronized boolean isHandWritten() {
        return handWritten;
    }

    /**
     * Whether a batch may use a second core: large batches as two concurrent halves, small ones by
     * splitting the Java kernels (on by default with two cores or more; off, one thread runs all).
     */
    @Override
    public synchronized void splitBatches(boolean on) {
        lanes.enabled(on);
    }

    /** Whether the convolutions and their gradients run as oneDNN primitives (by default where available) or ND4J's ops; for tests. */
    synchronized void oneDnn(boolean on) {
        lanes.oneDnn(on);
    }

    private static void checkTimes(INDArray t, long b) {
        if (t.length() != b) throw new IllegalArgumentException(
                "t has %d entries for a batch of %d".formatted(t.length(), b));
    }

    private long checkInput(INDArray x) {
        long[] s = x.shape();
        int c = UNetLayout.IMAGE_CHANNELS, size = UNetConfig.SIZE;
        if (s.length != 4 || s[0] < 1 || s[1] != c || s[2] != size || s[3] != size) {
            throw new IllegalArgumentException("x must be [B, %d, %d, %d] with B ≥ 1, got %s"
                    .formatted(c, size, size, Arrays.toString(s)));
        }
        return s[0];
    }

    private INDArray labels(INDArray cond, long b) {
        if (cond == null) return Nd4j.valueArrayOf(new long[] {b}, nullClass(), DataType.INT32);
        if (cond.length() != b) throw new IllegalArgumentException(
                "cond has %d labels for a batch of %d".formatted(cond.length(), b));
        INDArray labels = cond.reshape(b).castTo(DataType.INT32);
        int min = labels.minNumber().intValue(), max = labels.maxNumber().intValue();
        if (min < 0 || max > nullClass()) throw new IllegalArgumentException(
                "labels must be in [0, %d] (%d = none), got [%d, %d]".formatted(nullClass(), nullClass(), min, max));
        return labels;
    }

    @Override public Parameterization parameterization() { return config.parameterization(); }

    @Override public GaussianPath schedule() { return schedule; }

    @Override public int nullClass() { return config.numClasses() == 0 ? -1 : config.numClasses(); }

    @Override public int numClasses() { return config.numClasses(); }

    @Override
    public UNetConfig config() { return config; }

    /** The graph: placeholders x, t, label; output "out" (the reference for the fast passes). */
    public SameDiff sameDiff() { return sd; }

    /** Trainable variables by name, in graph order: the live arrays, not copies. */
    @Override
    public Map<String, INDArray> weights() {
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) w.put(v.name(), v.getArr());
        }
        return w;
    }

    /** Copies {@code values} into the weights; names and shapes must match exactly. */
    @Override
    public synchronized void setWeights(Map<String, INDArray> values) {
        Weights.assign(weights(), values, describe() + " model");
    }


    private String describe() {
        return "%d/%d/%d%s".formatted(config.channels1(), config.channels2(), config.channels3(),
                config.attention() ? "+attn" : "");
    }
}
