package org.diffusionplayground.app.imagemodel;

/**
 * The frames of one reverse run, written by the job's thread and read by the UI thread while it
 * runs. A frame is x after some number of sampling steps ({@link #stepOf(int)}; frame 0 = x_T)
 * at {@link #t(int)}; its x̂0 is the model's estimate of the clean images at that time, known
 * once the next step has run (the final frame's is the final x).
 *
 * <p>Frames are for display, so x and x̂0 are held as 8-bit {@link QuantisedImages} (a quarter
 * of the floats); only the final x, the run's samples, stays exact. A run whose frames would
 * still exceed {@link #BUDGET_BYTES} keeps every {@link #stride()}-th step and the last one
 * (at most 4×4 images × 1000 steps fit without a stride: about 25 MB).
 *
 * <p>Every frame below {@link #frames()} is complete except the x̂0 of the newest one while the
 * run goes on (then {@link #predX0(int)} returns the previous one). The volatile frame count
 * publishes each frame's arrays to the reader.
 */
public final class Recording {

    /** Memory the quantised frames of one run may take before steps are skipped. */
    public static final long BUDGET_BYTES = 64L << 20;
    private static final int PIXELS = 28 * 28;

    private final int steps;
    private final int count;
    private final int stride;
    private final int slots;
    private final QuantisedImages[] x;
    private final QuantisedImages[] predX0;
    private final double[] t;
    private final int[] nfe;
    private final double[] millis;
    private float[] finalX;
    private volatile int frames;

    /** @param count images per frame, 28 × 28 each */
    public Recording(int steps, int count) {
        this(steps, count, BUDGET_BYTES);
    }

    Recording(int steps, int count, long budgetBytes) {
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        if (count < 1) throw new IllegalArgumentException("count (%d) must be ≥ 1".formatted(count));
        this.steps = steps;
        this.count = count;
        long frameBytes = 2 * QuantisedImages.bytesFor(count * PIXELS, count);
        int s = 1;
        while (s < steps && slotsFor(steps, s) * frameBytes > budgetBytes) s++;
        stride = s;
        slots = slotsFor(steps, s);
        x = new QuantisedImages[slots];
        predX0 = new QuantisedImages[slots];
        t = new double[slots];
        nfe = new int[slots];
        millis = new double[slots];
    }

    /** Kept steps 0, s, 2s, … below {@code steps}, and {@code steps} itself. */
    private static int slotsFor(int steps, int stride) {
        return (steps + stride - 1) / stride + 1;
    }

    void start(double tStart, float[] xT) {
        if (xT.length != count * PIXELS) {
            throw new IllegalArgumentException("x_T has %d values, not %d images of 28 × 28".formatted(xT.length, count));
        }
        t[0] = tStart;
        x[0] = QuantisedImages.of(xT, count);
        frames = 1;
    }

    /** Step {@code index} went to tPrev: its x̂0 belongs to step index, its x to step index + 1. */
    void step(int index, double tPrev, int nfeSoFar, double elapsedMillis, float[] xNext, float[] predX0AtT) {
        if (index % stride == 0) predX0[index / stride] = QuantisedImages.of(predX0AtT, count);
        int reached = index + 1;
        boolean last = reached == steps;
        if (!last && reached % stride != 0) return;
        int k = last ? slots - 1 : reached / stride;
        if (last) finalX = xNext;
        else x[k] = QuantisedImages.of(xNext, count);
        t[k] = tPrev;
        nfe[k] = nfeSoFar;
        millis[k] = elapsedMillis;
        frames = k + 1;
    }

    /** The sampling steps of the run: the last frame is after {@code steps()} steps. */
    public int steps() { return steps; }

    /** Images per frame. */
    public int count() { return count; }

    /** 1 when every step is kept, s when only every s-th step (and the last) fit in {@link #BUDGET_BYTES}. */
    public int stride() { return stride; }

    /** How many frames are recorded so far (0 before x_T; all of them when done). */
    public int frames() { return frames; }

    public boolean complete() { return frames == slots; }

    /** The sampling step frame k is after: k·{@link #stride()}, or {@link #steps()} for the last frame. */
    public int stepOf(int k) {
        return check(k) == slots - 1 ? steps : k * stride;
    }

    /** x at frame k, packed [count, 28, 28]: the final frame exactly, the others within half a quantisation step. */
    public float[] x(int k) {
        return check(k) == slots - 1 ? finalX : x[k].toFloats();
    }

    /** x̂0 at frame k, or the newest known before it (null at frame 0 before the first step). */
    public float[] predX0(int k) {
        int n = frames, i = check(k);
        if (i == slots - 1) return finalX; // published with the last frame
        if (i == n - 1) i--; // the newest frame's x̂0 may be being written
        for (; i >= 0; i--) if (predX0[i] != null) return predX0[i].toFloats();
        return null;
    }

    public double t(int k) { return t[check(k)]; }

    /** Network evaluations spent to reach frame k. */
    public int nfe(int k) { return nfe[check(k)]; }

    /** Milliseconds from the first step's start to frame k. */
    public double millis(int k) { return millis[check(k)]; }

    private int check(int k) {
        int n = frames;
        if (k < 0 || k >= n) throw new IndexOutOfBoundsException("frame %d of %d recorded".formatted(k, n));
        return k;
    }
}
