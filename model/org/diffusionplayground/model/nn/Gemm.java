package org.diffusionplayground.model.nn;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products for hand-written passes whose activations live in row-major heap arrays:
 * ND4J's matmul (BLAS / oneDNN) on off-heap copies kept by role and shape, so a pass allocates
 * nothing per call. Weights stay the network's live
 * arrays ([in, out], y = x·W). Not thread-safe: one per pass.
 */
public final class Gemm {

    private final Map<String, INDArray> staged = new HashMap<>();

    /** The off-heap array kept for {@code role} and {@code shape} (contents undefined). */
    public INDArray buffer(String role, long... shape) {
        StringBuilder key = new StringBuilder(role);
        for (long s : shape) key.append(':').append(s);
        return staged.computeIfAbsent(key.toString(), k -> Nd4j.create(DataType.FLOAT, shape));
    }

    /** {@link #buffer} filled with the first length-many {@code values}. */
    public INDArray stage(String role, float[] values, long... shape) {
        INDArray a = buffer(role, shape);
        HeapArrays.write(values, a, (int) a.length());
        return a;
    }

    /** Up to this many rows the U-Net's attention runs as Java loops ({@code SmallAttention}) and its shifts block by block. */
    public static final int FEW_ROWS = 4;

    /**
     * Up to this many multiply-adds (m·k·n) {@link #times} is a Java loop, not a BLAS call. Measured
     * alternately on one core (median µs, loop against BLAS with its staging): 16×32×64 5.5 / 21,
     * 16×64×64 10 / 15–19, 1×128×768 12–13 / 9–10, 16×64×224 22 / 13–15, 64×128×128 118 / 21: the
     * loop takes about 0.1 ns a multiply-add, one BLAS call 9–20 µs whatever its size up to there.
     */
    public static final long LOOP_MACS = 1L << 16;

    /** Whether c [m, n] = a [m, k] · W [k, n] is cheaper as the Java loop ({@link #LOOP_MACS}). */
    public static boolean loops(long m, long k, long n) {
        return m * k * n <= LOOP_MACS;
    }

    /**
     * c [m, n] = a [m, k] · W [k, n]: a BLAS product on off-heap copies, or for a small product
     * (a few rows of conditioning, {@link #loops}) a loop reading W in place.
     */
    public void times(float[] a, int m, INDArray w, float[] c) {
        long k = w.size(0), n = w.size(1);
        if (loops(m, k, n)) {
            timesInPlace(a, m, w.data().asNioFloat(), (int) k, (int) n, c);
            return;
        }
        INDArray out = buffer("times.c", m, n);
        mmul(stage("times.a", a, m, k), w, out, false, false, 1);
        HeapArrays.read(out, c, (int) out.length());
    }

    /**
     * c [m, n] = a [m, k] · w [k, n] for a weight held in a heap array (row-major): a loop for a
     * small product ({@link #loops}), else a BLAS product on an off-heap copy of w.
     */
    public void times(float[] a, int m, float[] w, int k, int n, float[] c) {
        if (!loops(m, k, n)) {
            times(a, m, stage("times.w", w, k, n), c);
            return;
        }
        float[] wr = startRows(m, n);
        for (int i = 0; i < k; i++) {
            System.arraycopy(w, i * n, wr, 0, n);
            addRow(a, m, k, i, wr, n);
        }
        finishRows(m, n, c);
    }

    private void timesInPlace(float[] a, int m, FloatBuffer w, int k, int n, float[] c) {
        float[] wr = startRows(m, n);
        for (int i = 0; i < k; i++) {
            w.get(i * n, wr, 0, n);
            addRow(a, m, k, i, wr, n);
        }
        finishRows(m, n, c);
    }

    /*
     * The few-row loop: each output row accumulates in its own array and each row of W is copied
     * to index 0 first, so every loop indexes its arrays alike and C2 vectorises it (JDK 17 packs a
     * loop only then; c[r·n + j] += x·w[i·n + j] ran one element at a time: 0.37 against 0.12 ns a
     * value staged, measured).
     */
    private float[][] rows = new float[0][];
    private float[] weightRow = new float[0];

    /** Clears the first m accumulator rows; returns the weight-row scratch. */
    private float[] startRows(int m, int n) {
        if (rows.length < m) rows = java.util.Arrays.copyOf(rows, m);
        for (int r = 0; r < m; r++) {
            if (rows[r] == null || rows[r].length < n) rows[r] = new float[n];
            java.util.Arrays.fill(rows[r], 0, n, 0f);
        }
        if (weightRow.length < n) weightRow = new float[n];
        return weightRow;
    }

    /** rows[r] += a[r, i] · W[i, ·] for r &lt; m. */
    private void addRow(float[] a, int m, int k, int i, float[] wr, int n) {
        for (int r = 0; r < m; r++) {
            float x = a[r * k + i];
            float[] acc = rows[r];
            for (int j = 0; j < n; j++) acc[j] += x * wr[j];
        }
    }

    private void finishRows(int m, int n, float[] c) {
        for (int r = 0; r < m; r++) System.arraycopy(rows[r], 0, c, r * n, n);
    }

    /**
     * The products of a dense layer's backward pass, y = x·W: dW [k, n] = xᵀ·dy into {@code dw}, and
     * dx [m, k] = dy·Wᵀ into {@code dx} (if not null), with dy staged off-heap once for both.
     */
    public void denseBackward(float[] x, int m, int k, float[] dy, int n, INDArray w, INDArray dw, float[] dx) {
        INDArray staged = stage("dense.dy", dy, m, n);
        mmul(stage("dense.x", x, m, k), staged, dw, true, false, 1);
        if (dx == null) return;
        INDArray out = buffer("dense.dx", m, k);
        mmul(staged, w, out, false, true, 1);
        HeapArrays.read(out, dx, (int) out.length());
    }

    /**
     * c = alpha · op(a) · op(b) for rank-2 arrays, or for rank-3 arrays one product per leading
     * index (batched), writing into {@code c}.
     */
    public static void mmul(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha) {
        String key = (transposeA ? "T" : "N") + (transposeB ? "T" : "N") + alpha;
        NativeOp op = MATMUL.get().computeIfAbsent(key,
                k -> new NativeOp("matmul", new double[] {alpha, 0.0}, transposeA ? 1 : 0, transposeB ? 1 : 0, 0));
        op.run(new INDArray[] {a, b}, c);
    }

    /**
     * This thread's matmul ops by transposes and alpha, each built once: a fresh {@code Mmul} per
     * product built its Java op, shape info and arguments every call (25 products a DDiT forward
     * pass at batch 1; see {@link NativeOp}). A thread's own, as a {@link NativeOp} holds one context.
     */
    private static final ThreadLocal<Map<String, NativeOp>> MATMUL = ThreadLocal.withInitial(HashMap::new);

    /** A bias gradient [n], the column sums of dy [m, n], written into {@code db}; returns db. */
    public static INDArray columnSums(float[] dy, int m, int n, INDArray db) {
        double[] s = new double[n];
        for (int r = 0; r < m; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) s[j] += dy[o + j];
        }
        float[] f = new float[n];
        for (int j = 0; j < n; j++) f[j] = (float) s[j];
        HeapArrays.write(f, db, n);
        return db;
    }

    /** y [m, n] += b [n] on every row, b an ND4J vector read into a kept array (no allocation per call). */
    public void addBias(float[] y, int m, INDArray b) {
        int n = (int) b.length();
        if (bias.length < n) bias = new float[n];
        HeapArrays.read(b, bias, n);
        if (row.length < n) row = new float[n];
        for (int r = 0; r < m; r++) { // each row staged at index 0, so C2 vectorises the add
            System.arraycopy(y, r * n, row, 0, n);
            for (int j = 0; j < n; j++) row[j] += bias[j];
            System.arraycopy(row, 0, y, r * n, n);
        }
    }

    private float[] bias = new float[0], row = new float[0];
}
