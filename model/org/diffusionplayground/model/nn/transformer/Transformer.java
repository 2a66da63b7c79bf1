package org.diffusionplayground.model.nn.transformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.Gemm;
import org.diffusionplayground.model.nn.HeapArrays;
import org.diffusionplayground.model.nn.Weights;
import org.diffusionplayground.model.runtime.Backend;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.runtime.SecondLane;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.nn.Network;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.diffusionplayground.model.sampling.tokens.TokenModel;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;

/**
 * The DDiT of {@link DDiTGraph} as a trainable {@link Network}: logits [B, L, V+1] for tokens
 * x_t [B, L] at times t [B]. What the logits mean (MDLM's x0 distribution, SEDD's ratios, the
 * autoregressive model's next character) is the objective's business. The autoregressive model
 * reads t = 0 whatever it is given, so its conditioning vector c is a learned constant and its
 * logits a function of the tokens alone.
 *
 * <p>On the CPU backend {@link #logits} and {@link #gradients} run the hand-written passes
 * ({@link DDiTForward}, {@link DDiTBackward}) over the same layout and weights; on a GPU backend,
 * and in tests as the reference, SameDiff's graph: the forward pass, the loss on its logits
 * giving g = ∂L/∂logits, then SameDiff's gradients of the graph's scalar Σ logits ⊙ g (a
 * vector–Jacobian product). Passes are serialised (synchronized): one set of buffers per network.
 */
public final class Transformer implements Network, TokenModel {

    private final TransformerConfig config;
    private final SameDiff sd;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();
    /** Each lane's passes and buffers: lane 0 on the calling thread, lane 1 on {@link SecondLane}. */
    private final DDiTForward[] forward = new DDiTForward[2];
    private final DDiTBackward[] backward = new DDiTBackward[2];
    private boolean handWritten = Backend.cpu();
    private boolean splitBatches = SecondLane.available();
    /** Each lane's gradients of its chunks, summed (live arrays, overwritten by the next call). */
    private final List<Map<String, INDArray>> summed = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());

    /** The most sequences one hand-written pass runs at once; see {@link #chunks}. */
    static final int CHUNK = 16;

    private Transformer(TransformerConfig config, SameDiff sd) {
        this.config = config;
        this.sd = sd;
        for (DDiTLayout.Weight w : DDiTLayout.of(config).weights()) weights.put(w.name(), sd.getVariable(w.name()).getArr());
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !weights.containsKey(v.name())) throw new IllegalStateException(
                    "graph variable %s is not in the layout".formatted(v.name()));
        }
        for (int k = 0; k < 2; k++) {
            Gemm gemm = new Gemm();
            forward[k] = new DDiTForward(config, weights, gemm);
            backward[k] = new DDiTBackward(config, weights, gemm);
        }
    }

    /** A freshly initialised network, its weights drawn from {@code seed}. */
    public static Transformer create(TransformerConfig config, long seed) {
        return new Transformer(config, DDiTGraph.build(config, seed));
    }

    /** The logits [B, L, V+1] (a fresh array) for tokens [B, L] (ids 0…V, V the mask) at times t [B]. */
    public synchronized INDArray logits(INDArray tokens, INDArray t) {
        if (!handWritten) return graphLogits(tokens, t);
        Map<String, INDArray> in = inputs(tokens, t);
        int[] ids = HeapArrays.ints(in.get(DDiTGraph.TOKENS));
        float[] times = HeapArrays.floats(in.get(DDiTGraph.T));
        int b = times.length, l = config.length(), columns = config.vocab() + 1;
        float[] out = new float[b * l * columns];
        onLanes(chunks(b, split(b)), split(b), (k, chunks) -> {
            for (int[] chunk : chunks) {
                int from = chunk[0], to = chunk[1];
                DDiTTape tape = forward[k].run(Arrays.copyOfRange(ids, from * l, to * l), Arrays.copyOfRange(times, from, to), false);
                System.arraycopy(tape.logits, 0, out, from * l * columns, (to - from) * l * columns); // disjoint rows per lane
            }
            return null;
        });
        return Nd4j.create(out, new long[] {b, l, columns}, 'c');
    }

    /**
     * The network as samplers see it, at one time t for the batch: for the absorbing process the
     * logits of x_θ over V + 1 ids (the mask's own column ignored by the samplers); for the
     * uniform process the log-scores of the V characters (the unused mask column dropped); for
     * the autoregressive model the next-character logits over V + 1 ids (position i from the
     * tokens before it; [M], "not yet written", never drawn).
     */
    @Override
    public INDArray logits(INDArray tokens, double t) {
        INDArray out = logits(tokens, Nd4j.valueArrayOf(new long[] {tokens.size(0)}, (float) t));
        return hasMaskColumn() ? out : out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, config.vocab())).dup('c');
    }

    @Override
    public int vocabularySize() {
        return hasMaskColumn() ? config.vocab() + 1 : config.vocab();
    }

    @Override
    public int maskToken() {
        return hasMaskColumn() ? config.maskId() : -1;
    }

    @Override
    public boolean autoregressive() {
        return config.autoregressive();
    }

    /** Whether samplers see the [M] id: masked diffusion's mask, the autoregressive model's "not yet written". */
    private boolean hasMaskColumn() {
        return !TransformerConfig.UNIFORM.equals(config.process());
    }

    @Override
    public MaskingSchedule maskingSchedule() {
        return config.maskingSchedule();
    }

    @Override
    public GeometricNoise uniformNoise() {
        return config.geometricNoise();
    }

    /** {@link #logits} through SameDiff's graph (the reference). */
    public synchronized INDArray graphLogits(INDArray tokens, INDArray t) {
        return sd.output(inputs(tokens, t), DDiTGraph.LOGITS).get(DDiTGraph.LOGITS);
    }

    /** Whether {@link #logits} and {@link #gradients} run the hand-written passes (default: on the CPU backend). */
    public synchronized void handWritten(boolean on) {
        handWritten = on;
    }

    /** Whether the hand-written passes run (see {@link #handWritten(boolean)}). */
    public synchronized boolean isHandWritten() {
        return handWritten;
    }

    /**
     * The loss and its gradients for one batch: input tokens x_t [B, L], t [B], and whatever
     * {@code loss} reads. Gradients by weight name, in {@link #weights()} order: live arrays,
     * overwritten by the next call.
     */
    @Override
    public synchronized Gradients gradients(Batch batch, Loss loss) {
        if (!handWritten) return graphGradients(batch, loss);
        boolean two = split(batch.size());
        List<Gradients> lanes = onLanes(chunks(batch.size(), two), two, (k, chunks) -> lane(k, chunks, batch, loss));
        return lanes.size() == 1 ? lanes.get(0) : lanes.get(0).plus(lanes.get(1));
    }

    /** Forward, loss and backward of {@code chunks} of the batch on lane k: their loss shares and summed gradients. */
    private Gradients lane(int k, List<int[]> chunks, Batch batch, Loss loss) {
        double value = 0;
        Map<String, INDArray> sum = summed.get(k);
        for (int i = 0; i < chunks.size(); i++) {
            int from = chunks.get(i)[0], to = chunks.get(i)[1];
            Batch rows = to - from == batch.size() ? batch : batch.rows(from, to);
            Map<String, INDArray> in = inputs(rows.input(), rows.t());
            DDiTTape tape = forward[k].run(HeapArrays.ints(in.get(DDiTGraph.TOKENS)), HeapArrays.floats(in.get(DDiTGraph.T)), true);
            long[] shape = {tape.batch, tape.length, tape.columns};
            INDArray logits = Nd4j.create(tape.logits, shape, 'c'), g = Nd4j.create(DataType.FLOAT, shape);
            long t0 = OpClock.start();
            value += loss.apply(logits, rows, batch.size(), g); // each chunk's share of the batch mean
            OpClock.lap("loss", t0);
            Map<String, INDArray> grads = backward[k].run(tape, HeapArrays.floats(g));
            if (chunks.size() == 1) return new Gradients(value, grads);
            for (var e : grads.entrySet()) {
                if (i == 0) sum.computeIfAbsent(e.getKey(), n -> e.getValue().dup()).assign(e.getValue());
                else sum.get(e.getKey()).addi(e.getValue());
            }
        }
        return new Gradients(value, sum);
    }

    /** Work on some of a batch's chunks, given the lane it runs on. */
    private interface LaneWork<T> {
        T run(int lane, List<int[]> chunks);
    }

    /**
     * Runs {@code work} on every chunk: all on lane 0 when there is one chunk or {@code twoLanes}
     * is off, else the even-numbered chunks on lane 0 and the odd ones on lane 1 at the same time
     * ({@link SecondLane}); one result per lane used. (Before the flag was passed here a batch of
     * two chunks or more took the second lane even with {@link #splitBatches} off.)
     */
    private static <T> List<T> onLanes(List<int[]> chunks, boolean twoLanes, LaneWork<T> work) {
        if (!twoLanes || chunks.size() < 2) return Collections.singletonList(work.run(0, chunks));
        List<List<int[]>> byLane = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < chunks.size(); i++) byLane.get(i % 2).add(chunks.get(i));
        var both = SecondLane.both(() -> work.run(0, byLane.get(0)), () -> work.run(1, byLane.get(1)));
        return Arrays.asList(both.first(), both.second());
    }

    /** Whether a batch of b sequences runs on two lanes. */
    private boolean split(int b) {
        return splitBatches && b >= 2;
    }

    /**
     * Whether a batch of two or more sequences may run on two lanes, its chunks shared between
     * them (on by default with two cores or more; off, one thread runs all, as {@code bench
     * compare --threads 1} needs). Either way the result is the same up to float summation order.
     */
    @Override
    public synchronized void splitBatches(boolean on) {
        splitBatches = on && SecondLane.available();
    }

    /**
     * [from, to) row ranges of at most {@link #CHUNK} sequences and near-equal sizes (so one tape
     * size serves them all): the hand-written pass runs a larger batch chunk by chunk, which bounds
     * its activations' memory at a chunk's worth; the GEMMs of 16 × 256 rows are as efficient as
     * larger ones. For two lanes, an even number of chunks (at least two, so the lanes share the
     * work evenly).
     */
    static List<int[]> chunks(int b, boolean twoLanes) {
        int n = (b + CHUNK - 1) / CHUNK;
        if (twoLanes && b >= 2) n = Math.min(b, n + n % 2);
        List<int[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new int[] {(int) ((long) b * i / n), (int) ((long) b * (i + 1) / n)});
        return out;
    }

    /** {@link #gradients} through SameDiff's graph and its vector–Jacobian product (the reference). */
    public synchronized Gradients graphGradients(Batch batch, Loss loss) {
        Map<String, INDArray> in = inputs(batch.input(), batch.t());
        INDArray logits = sd.output(in, DDiTGraph.LOGITS).get(DDiTGraph.LOGITS);
        INDArray g = Nd4j.create(DataType.FLOAT, logits.shape());
        double value = loss.apply(logits, batch, batch.size(), g);
        in.put(DDiTGraph.DLOGITS, g);
        Map<String, INDArray> grads = sd.calculateGradients(in, weights.keySet());
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : weights.keySet()) ordered.put(name, grads.get(name));
        return new Gradients(value, ordered);
    }

    private Map<String, INDArray> inputs(INDArray tokens, INDArray t) {
        long[] s = tokens.shape();
        if (s.length != 2 || s[0] < 1 || s[1] != config.length()) throw new IllegalArgumentException(
                "tokens must be [B, %d] with B ≥ 1, got %s".formatted(config.length(), Arrays.toString(s)));
        if (t.length() != s[0]) throw new IllegalArgumentException("t has %d entries for a batch of %d".formatted(t.length(), s[0]));
        INDArray ids = tokens.castTo(DataType.INT32).dup('c');
        int min = ids.minNumber().intValue(), max = ids.maxNumber().intValue();
        if (min < 0 || max > config.maskId()) throw new IllegalArgumentException(
                "token ids must be in [0, %d] (%d = mask), got [%d, %d]".formatted(config.maskId(), config.maskId(), min, max));
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(DDiTGraph.TOKENS, ids);
        in.put(DDiTGraph.T, config.autoregressive() ? Nd4j.zeros(DataType.FLOAT, s[0]) : t.reshape(s[0]).castTo(DataType.FLOAT));
        return in;
    }

    @Override
    public TransformerConfig config() { return config; }

    /** Trainable weights by name, in layout order: the live arrays, not copies. */
    @Override
    public Map<String, INDArray> weights() { return weights; }

    /** The graph: placeholders tokens, t (and dlogits for the VJP); output "logits". */
    public SameDiff sameDiff() { return sd; }

    @Override
    public synchronized void setWeights(Map<String, INDArray> values) {
        Weights.assign(weights, values, "transformer");
    }
}
