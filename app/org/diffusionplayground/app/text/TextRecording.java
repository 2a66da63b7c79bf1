package org.diffusionplayground.app.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one text reverse run, written by the job's thread and read by the UI thread
 * while it runs (the volatile frame count publishes each frame). Frame 0 is the prior z_1, frame
 * k the tokens after k steps. Per frame it keeps, for the shown positions: the tokens, the frame
 * at which each position last changed (for masked runs: was revealed) and the model's probability
 * of its token then (its confidence at reveal), and the model's {@value #CANDIDATES} most likely
 * characters at each position from the logits that produced the frame.
 *
 * <p>The model's distribution at a position is the softmax of its logits without [M] (MDLM's
 * SUBS parameterisation, Sahoo et al. 2024); for a uniform model, of its log concrete scores
 * (SEDD, Lou et al. 2023: the ratios p_t(y)/p_t(x) normalised over y are the position's
 * conditional marginal).
 */
public final class TextRecording {

    /** Candidates kept per position and frame. */
    public static final int CANDIDATES = 5;

    /** One candidate character at a position: its id and the model's probability of it. */
    public record Candidate(int id, double probability) {
    }

    private final int steps, length, maskId;
    private final int[][] tokens, changedAt;
    private final float[][] confidence, candidateP;
    private final int[][] candidateId;
    private final double[] t, fraction, millis;
    private final int[] nfe;
    private volatile int frames;

    /**
     * @param length positions shown (the first {@code length} of the model's context)
     * @param maskId the model's [M], or −1 for a uniform model
     */
    public TextRecording(int steps, int length, int maskId) {
        if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
        if (length < 1) throw new IllegalArgumentException("length (%d) must be ≥ 1".formatted(length));
        this.steps = steps;
        this.length = length;
        this.maskId = maskId;
        tokens = new int[steps + 1][];
        changedAt = new int[steps + 1][];
        confidence = new float[steps + 1][];
        candidateId = new int[steps + 1][];
        candidateP = new float[steps + 1][];
        t = new double[steps + 1];
        fraction = new double[steps + 1];
        millis = new double[steps + 1];
        nfe = new int[steps + 1];
    }

    /** Frame 0: the prior (the first {@code length} of {@code prior} are shown). */
    void start(int[] prior) {
        tokens[0] = java.util.Arrays.copyOf(prior, length);
        changedAt[0] = new int[length];
        confidence[0] = new float[length];
        t[0] = 1;
        fraction[0] = maskId >= 0 ? maskedFraction(tokens[0]) : Double.NaN;
        frames = 1;
    }

    /**
     * Step {@code index} went to time {@code s}, giving {@code next} from logits [L·V] (row-major,
     * at least the shown positions) of vocabulary {@code v}.
     */
    void step(int index, double s, int nfeSoFar, double elapsedMillis, int[] next, float[] logits, int v) {
        int k = index + 1;
        int[] z = java.util.Arrays.copyOf(next, length), before = tokens[k - 1];
        int[] at = changedAt[k - 1].clone();
        float[] conf = confidence[k - 1].clone();
        int[] ids = new int[length * CANDIDATES];
        float[] ps = new float[length * CANDIDATES];
        double[] p = new double[v];
        int changed = 0;
        for (int i = 0; i < length; i++) {
            softmax(logits, i * v, v, p);
            top(p, v, ids, ps, i * CANDIDATES);
            if (z[i] != before[i]) {
                changed++;
                if (z[i] != maskId) {
                    at[i] = k;
                    conf[i] = (float) p[z[i]];
                }
            }
        }
        tokens[k] = z;
        changedAt[k] = at;
        confidence[k] = conf;
        candidateId[k] = ids;
        candidateP[k] = ps;
        t[k] = s;
        fraction[k] = maskId >= 0 ? maskedFraction(z) : (double) changed / length;
        nfe[k] = nfeSoFar;
        millis[k] = elapsedMillis;
        frames = k + 1;
    }

    private double maskedFraction(int[] z) {
        int n = 0;
        for (int id : z) if (id == maskId) n++;
        return (double) n / z.length;
    }

    /** p = softmax of logits[from, from + v) with [M] given no mass. */
    private void softmax(float[] logits, int from, int v, double[] p) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < v; k++) if (k != maskId) max = Math.max(max, logits[from + k]);
        for (int k = 0; k < v; k++) {
            p[k] = k == maskId || !Double.isFinite(max) ? 0 : Math.exp(logits[from + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < v; k++) p[k] = sum > 0 ? p[k] / sum : 0;
    }

    /** The CANDIDATES largest of p into ids/ps at {@code at}, most likely first. */
    private static void top(double[] p, int v, int[] ids, float[] ps, int at) {
        for (int c = 0; c < CANDIDATES; c++) {
            int best = -1;
            for (int k = 0; k < v; k++) {
                boolean taken = false;
                for (int j = 0; j < c; j++) taken |= ids[at + j] == k;
                if (!taken && (best < 0 || p[k] > p[best])) best = k;
            }
            ids[at + c] = best;
            ps[at + c] = best < 0 ? 0 : (float) p[best];
        }
    }

    public int steps() { return steps; }

    public int length() { return length; }

    public int maskId() { return maskId; }

    public int frames() { return frames; }

    public boolean complete() { return frames == steps + 1; }

    public int[] tokens(int k) { return tokens[check(k)]; }

    /** Per position, the frame it last changed at (was revealed, for masked runs); 0 if never. */
    public int[] changedAt(int k) { return changedAt[check(k)]; }

    /** Per position, the model's probability of its token when it last changed. */
    public float[] confidence(int k) { return confidence[check(k)]; }

    /** The model's most likely characters at position i in the logits that produced frame k (none at frame 0). */
    public List<Candidate> candidates(int k, int i) {
        List<Candidate> out = new ArrayList<>();
        if (check(k) == 0 || i < 0 || i >= length) return out;
        for (int c = 0; c < CANDIDATES; c++) {
            int id = candidateId[k][i * CANDIDATES + c];
            if (id >= 0) out.add(new Candidate(id, candidateP[k][i * CANDIDATES + c]));
        }
        return out;
    }

    /** The fraction of positions still masked (masked runs) or changed by the step (uniform; NaN at frame 0). */
    public double fraction(int k) { return fraction[check(k)]; }

    public double t(int k) { return t[check(k)]; }

    public int nfe(int k) { return nfe[check(k)]; }

    public double millis(int k) { return millis[check(k)]; }

    private int check(int k) {
        int n = frames;
        if (k < 0 || k >= n) throw new IndexOutOfBoundsException("frame %d of %d recorded".formatted(k, n));
        return k;
    }
}
