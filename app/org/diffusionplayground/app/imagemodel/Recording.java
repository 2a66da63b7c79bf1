package org.diffusionplayground.app.imagemodel;

/**
 * The frames of one reverse run, written by the job's thread and read by the UI thread while it
 * runs. Frame k (0 … steps) is x after k steps (frame 0 = x_T) at {@link #t(int)}; its x̂0 is
 * the model's estimate of the clean images at that time, known once step k has run (the final
 * frame's is the final x). Every frame below {@link #frames()} is complete except the x̂0 of
 * the newest one while the run goes on (then {@link #predX0(int)} returns the previous one).
 * The volatile frame count publishes each frame's arrays to the reader.
 */
public final class Recording {

    private final int steps;
    private final int count;
    private final float[][] x;
    private final float[][] predX0;
    private final double[] t;
    private final int[] nfe;
    private final double[] millis;
    private volatile int frames;

    /** @param count images per frame */
    public Recording(int steps, int count) {
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        this.steps = steps;
        this.count = count;
        x = new float[steps + 1][];
        predX0 = new float[steps + 1][];
        t = new double[steps + 1];
        nfe = new int[steps + 1];
        millis = new double[steps + 1];
    }

    void start(double tStart, float[] xT) {
        t[0] = tStart;
        x[0] = xT;
        frames = 1;
    }

    /** Step {@code index} went to tPrev: its x̂0 belongs to frame index, its x is frame index + 1. */
    void step(int index, double tPrev, int nfeSoFar, double elapsedMillis, float[] xNext, float[] predX0AtT) {
        predX0[index] = predX0AtT;
        x[index + 1] = xNext;
        t[index + 1] = tPrev;
        nfe[index + 1] = nfeSoFar;
        millis[index + 1] = elapsedMillis;
        if (index + 1 == steps) predX0[steps] = xNext;
        frames = index + 2;
    }

    /** The sampling steps of the run: the last frame is {@code steps()}. */
    public int steps() { return steps; }

    /** Images per frame. */
    public int count() { return count; }

    /** How many frames are recorded so far (0 before x_T, steps + 1 when done). */
    public int frames() { return frames; }

    public boolean complete() { return frames == steps + 1; }

    public float[] x(int k) { return x[check(k)]; }

    /** x̂0 at frame k, or the newest known before it (null at frame 0 before the first step). */
    public float[] predX0(int k) {
        int n = frames, i = check(k);
        if (i == n - 1 && n != steps + 1) i--; // the newest frame's x̂0 may be being written
        for (; i >= 0; i--) if (predX0[i] != null) return predX0[i];
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
