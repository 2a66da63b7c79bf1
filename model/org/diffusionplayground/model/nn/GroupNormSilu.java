package org.diffusionplayground.model.nn;

/**
 * GroupNorm, its per-channel affine, an optional per-(sample, channel) shift before it, and SiLU,
 * fused into two passes over a Java array — the non-convolution work of a U-Net residual block.
 * ND4J runs these as four to six separate ops ({@code standardize}, a depthwise conv, {@code swish},
 * broadcast adds), none of them on oneDNN; measured, they took a third of the U-Net's forward pass.
 *
 * <p>Layout NHWC, flattened: x[b, p, c] at {@code (b·P + p)·C + c} with P = H·W — the layout
 * oneDNN's convolutions compute in, so no reorder runs around them. For each sample b and group g
 * (channels g·C/G … (g+1)·C/G − 1), with h = x + shift[b, c]:
 * <pre>  y = silu(γ_c · (h − μ_bg) / σ_bg + β_c),   σ_bg = √(Var_bg(h)), population variance, no ε</pre>
 * (Wu &amp; He 2018, "Group normalization", eq. 1–2; no ε because ND4J's {@code standardize}, which
 * the graph trains with, has none). Every loop runs over a stretch of whole pixels with the
 * per-channel coefficients repeated across it ({@link #SPAN}), so HotSpot vectorises it; sums are
 * kept in floats per position for a few stretches, then added per channel in double, and taken about
 * the channel's first value (shifted sums keep E[d²] − E[d]² from cancelling). Each stretch is
 * copied to scratch arrays first and back after: JDK 17's C2 vectorises a loop only when every
 * array in it is indexed by the same expression, and x[o + j] beside pattern[j] ran one element at a
 * time (measured: y = a·y + b + c·x over a stretch 0.8–0.9 ns a value in place, 0.25–0.35 ns staged,
 * copies included).
 *
 * <p>SiLU's sigmoid is a rational approximation, not {@code Math.exp}: HotSpot vectorises a loop
 * of multiplies, divides and min/max but calls {@code exp} one element at a time (measured on
 * 401k elements: 2.0 ms with exp, 0.2 ms with this). σ(z) = ½ + ½·tanh(z/2); tanh(x) for |x| ≤ 9
 * (beyond, tanh is 1 to float precision) is 2u/(1 + u²) with u = tanh(x/2) from the [7/6] Padé
 * approximant of Lambert's continued fraction, tanh y ≈ y(135135 + 17325y² + 378y⁴ + y⁶) /
 * (135135 + 62370y² + 3150y⁴ + 28y⁶) on |y| ≤ 4.5, both steps folded into one division, the
 * polynomials in fused multiply-adds ({@link Fma}, which C2 vectorises: 0.39 against 0.50 ns a
 * value for σ(z)(1 + z(1 − σ(z))) over a stretch, measured; the loops are bound by arithmetic, not
 * by the division). Worst error against the exact sigmoid over all floats z in [−20, 20]:
 * 1.03·10⁻⁷ (at z ≈ 2.79), and |silu error| ≤ 2.3·10⁻⁶ there.
 */
public final class GroupNormSilu {

    /**
     * Elements per stretch of a sample's pixels: a whole number of pixels, about this many values.
     * A loop over one pixel's channels (16–192) is too short for HotSpot's unrolled vector loop, so
     * every per-channel coefficient is repeated across a stretch of pixels and the loops run over
     * the stretch (measured on the reference U-Net at batch 16: 31.8 ms a forward pass per pixel,
     * 7.7 ms in NCHW, where a loop ran over a channel's pixels).
     */
    static final int SPAN = 512;
    /** Stretches whose per-position sums stay in floats before they are added in double. */
    static final int FLUSH = 16;

    private GroupNormSilu() {
    }

    /**
     * y ← silu(GN(x + shift)) (or without silu), in place or into {@code y}, for the samples
     * {@code from} ≤ b &lt; {@code to} (the others are not touched, so two threads can share x).
     *
     * @param x      [batch, pixels, channels] flattened
     * @param shift  [batch, channels] flattened, added before normalising; null for none
     * @param gamma  [channels] scale
     * @param beta   [channels] shift after normalising
     * @param silu   whether to apply SiLU
     * @param y      output, same length as x (may be x)
     */
    public static void apply(float[] x, int from, int to, int channels, int pixels, int groups, float[] shift,
                      float[] gamma, float[] beta, boolean silu, float[] y) {
        apply(x, from, to, channels, pixels, groups, shift, gamma, beta, silu, y, null);
    }

    /** As above, also keeping each group's mean and 1/σ in {@code kept}[2·(b·groups + g) …] for {@link #backward}. */
    public static void apply(float[] x, int from, int to, int channels, int pixels, int groups, float[] shift,
                      float[] gamma, float[] beta, boolean silu, float[] y, double[] kept) {
        apply(Strip.of(x), from, to, channels, pixels, groups, shift, gamma, beta, silu, Strip.of(y), kept);
    }

    /** As above, reading x and writing y a stretch at a time wherever they are (y may be x). */
    public static void apply(Strip x, int from, int to, int channels, int pixels, int groups, float[] shift,
                      float[] gamma, float[] beta, boolean silu, Strip y, double[] kept) {
        Stretch st = Stretch.of(channels);
        double[] moments = st.moments(groups);
        int perGroup = channels / groups;
        for (int b = from; b < to; b++) {
            moments(x, b, pixels, groups, shift, st, moments);
            if (kept != null) System.arraycopy(moments, 0, kept, 2 * b * groups, 2 * groups);
            float[] a = st.pattern(0), k = st.pattern(1);
            for (int c = 0; c < channels; c++) { // y = γ·(x + s − μ)·inv + β = x·a + (β + γ·(s − μ)·inv)
                double mean = moments[2 * (c / perGroup)], inv = moments[2 * (c / perGroup) + 1];
                double s = shift == null ? 0.0 : shift[b * channels + c];
                a[c] = (float) (gamma[c] * inv);
                k[c] = (float) (beta[c] + gamma[c] * (s - mean) * inv);
            }
            st.repeat(a);
            st.repeat(k);
            int base = b * pixels * channels, end = base + pixels * channels;
            for (int o = base; o < end; o += st.length) affineSilu(x, y, o, Math.min(st.length, end - o), a, k, silu, st.x);
        }
    }

    /**
     * y = x·a + k over a stretch, then SiLU in place — two loops: HotSpot vectorises each, but not
     * one loop with the coefficient arrays and the sigmoid together (measured: 1.0 against 5.2 ns a
     * value). Staged through {@code t} (see the class comment).
     */
    private static void affineSilu(Strip x, Strip y, int o, int n, float[] a, float[] k, boolean silu, float[] t) {
        x.read(o, t, n);
        for (int j = 0; j < n; j++) t[j] = Fma.mulAdd(t[j], a[j], k[j]);
        if (silu) silu(t, 0, n);
        y.write(o, t, n);
    }

    /** y ← silu(y) over [o, o+n). */
    private static void silu(float[] y, int o, int n) {
        for (int p = o; p < o + n; p++) {
            float z = y[p];
            y[p] = z * sigmoid(z);
        }
    }

    /**
     * The gradient of {@link #apply} for samples from ≤ b &lt; to: given dL/dy, writes dL/dx into
     * {@code dx} (may be dy) and adds dL/dγ, dL/dβ into {@code dGamma}, {@code dBeta} and, with a
     * shift, dL/dshift[b, c] = Σ_p dL/dx[b, p, c] into {@code dShift}. With x̂ = (h − μ)/σ,
     * z = γx̂ + β, dz = dy·silu'(z) (silu' = σ(z)(1 + z(1 − σ(z)))), dx̂ = γ·dz, the group mean
     * ⟨·⟩ and population σ (Wu &amp; He 2018, eq. 1–2; the batch-norm gradient of Ioffe &amp;
     * Szegedy 2015, §3, over a group instead of a batch):
     * <pre>  dh = (dx̂ − ⟨dx̂⟩ − x̂·⟨dx̂·x̂⟩) / σ</pre>
     */
    public static void backward(float[] x, float[] dy, int from, int to, int channels, int pixels, int groups,
                         float[] shift, float[] gamma, float[] beta, boolean silu, float[] dx,
                         float[] dGamma, float[] dBeta, float[] dShift) {
        backward(x, dy, from, to, channels, pixels, groups, shift, gamma, beta, silu, dx, dGamma, dBeta, dShift, null);
    }

    /** As above, with the forward pass's means and 1/σ ({@code kept} from {@link #apply}) instead of recomputing them. */
    public static void backward(float[] x, float[] dy, int from, int to, int channels, int pixels, int groups,
                         float[] shift, float[] gamma, float[] beta, boolean silu, float[] dx,
                         float[] dGamma, float[] dBeta, float[] dShift, double[] kept) {
        backward(Strip.of(x), Strip.of(dy), from, to, channels, pixels, groups, shift, gamma, beta, silu, Strip.of(dx),
                dGamma, dBeta, dShift, kept);
    }

    /**
     * As above, reading x and dy and writing dx a stretch at a time wherever they are; dx (may be
     * dy) also keeps dL/dz between the two passes.
     */
    public static void backward(Strip x, Strip dy, int from, int to, int channels, int pixels, int groups,
                         float[] shift, float[] gamma, float[] beta, boolean silu, Strip dx,
                         float[] dGamma, float[] dBeta, float[] dShift, double[] kept) {
        int perGroup = channels / groups, n = perGroup * pixels;
        Stretch st = Stretch.of(channels);
        double[] moments = new double[2 * groups], m1 = new double[groups], m2 = new double[groups];
        float[] ga = st.pattern(0), be = st.pattern(1), fi = st.pattern(2), k = st.pattern(3);
        System.arraycopy(gamma, 0, ga, 0, channels);
        System.arraycopy(beta, 0, be, 0, channels);
        st.repeat(ga);
        st.repeat(be);
        for (int b = from; b < to; b++) {
            if (kept != null) System.arraycopy(kept, 2 * b * groups, moments, 0, 2 * groups);
            else moments(x, b, pixels, groups, shift, st, moments);
            for (int c = 0; c < channels; c++) { // x̂ = x·fi + k
                double mean = moments[2 * (c / perGroup)], inv = moments[2 * (c / perGroup) + 1];
                double s = shift == null ? 0.0 : shift[b * channels + c];
                fi[c] = (float) inv;
                k[c] = (float) ((s - mean) * inv);
            }
            st.repeat(fi);
            st.repeat(k);
            // pass 1: dz (kept in dx), Σ_p dz and Σ_p dz·x̂ per channel
            int base = b * pixels * channels, end = base + pixels * channels;
            st.clear();
            for (int o = base; o < end; o += st.length) {
                int len = Math.min(st.length, end - o);
                x.read(o, st.x, len);
                dy.read(o, st.d, len);
                normalise(st.x, len, fi, k);
                if (silu) dz(st.x, st.d, len, ga, be, st.pattern(8));
                st.addProducts(st.d, st.x, len);
                dx.write(o, st.d, len);
            }
            st.flush();
            java.util.Arrays.fill(m1, 0);
            java.util.Arrays.fill(m2, 0);
            for (int c = 0; c < channels; c++) {
                dBeta[c] += (float) st.first[c];
                dGamma[c] += (float) st.second[c];
                m1[c / perGroup] += gamma[c] * st.first[c];
                m2[c / perGroup] += gamma[c] * st.second[c];
            }
            // pass 2: dh = (γ·dz − ⟨dx̂⟩ − x̂·⟨dx̂·x̂⟩)·inv = a·dz + a0 + a1·x
            float[] a = st.pattern(4), a0 = st.pattern(5), a1 = st.pattern(6);
            for (int c = 0; c < channels; c++) {
                int g = c / perGroup;
                float mean1 = (float) (m1[g] / n), mean2 = (float) (m2[g] / n);
                a[c] = fi[c] * gamma[c];
                a0[c] = -fi[c] * (mean1 + k[c] * mean2);
                a1[c] = -fi[c] * fi[c] * mean2;
            }
            st.repeat(a);
            st.repeat(a0);
            st.repeat(a1);
            st.clear();
            for (int o = base; o < end; o += st.length) {
                int len = Math.min(st.length, end - o);
                x.read(o, st.x, len);
                dx.read(o, st.d, len);
                if (dShift != null) st.affineAdd(st.d, st.x, len, a, a0, a1);
                else affine(st.d, st.x, len, a, a0, a1);
                dx.write(o, st.d, len);
            }
            if (dShift != null) {
                st.flush();
                for (int c = 0; c < channels; c++) dShift[b * channels + c] += (float) st.first[c];
            }
        }
    }

    /** x ← x̂ = x·fi + k over a staged stretch. */
    private static void normalise(float[] x, int n, float[] fi, float[] k) {
        for (int j = 0; j < n; j++) x[j] = Fma.mulAdd(x[j], fi[j], k[j]);
    }

    /**
     * d ← d·silu'(γ·x̂ + β) (d holds dy in, dz out) over a staged stretch, with z as scratch: three
     * loops that each vectorise (one loop did not: 1.6 against 6.1 ns a value, measured).
     */
    private static void dz(float[] xh, float[] d, int n, float[] ga, float[] be, float[] z) {
        for (int j = 0; j < n; j++) z[j] = Fma.mulAdd(ga[j], xh[j], be[j]);
        for (int j = 0; j < n; j++) { // silu'(z) = σ(z)(1 + z(1 − σ(z)))
            float zj = z[j], sg = sigmoid(zj);
            z[j] = sg * Fma.mulAdd(zj, 1f - sg, 1f);
        }
        for (int j = 0; j < n; j++) d[j] = d[j] * z[j];
    }

    /** d ← a·d + a0 + a1·x over a staged stretch. */
    private static void affine(float[] d, float[] x, int n, float[] a, float[] a0, float[] a1) {
        for (int j = 0; j < n; j++) d[j] = Fma.mulAdd(a[j], d[j], Fma.mulAdd(a1[j], x[j], a0[j]));
    }

    /**
     * Mean and 1/σ of h = x + s over each group of sample b, into {@code out}[2g], [2g + 1]: per
     * channel, Σ(x − K) and Σ(x − K)² over the pixels with K = the channel's value at pixel 0, then
     * combined per group in double.
     */
    private static void moments(Strip x, int b, int pixels, int groups, float[] shift, Stretch st, double[] out) {
        int channels = st.channels, base = b * pixels * channels, end = base + pixels * channels, perGroup = channels / groups;
        float[] first = st.pattern(7);
        x.read(base, first, channels);
        st.repeat(first);
        st.clear();
        for (int o = base; o < end; o += st.length) {
            int len = Math.min(st.length, end - o);
            x.read(o, st.x, len);
            st.addShifted(st.x, len, first);
        }
        st.flush();
        for (int g = 0; g < groups; g++) {
            double sum = 0, squares = 0;
            for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                // h − K' with K' = K + s: Σ(h − K') = Σd, so Σh = Σd + P·K', Σh² from Σd² likewise
                double sd = st.first[c], sdd = st.second[c];
                double kk = first[c] + (shift == null ? 0.0 : shift[b * channels + c]);
                sum += sd + pixels * kk;
                squares += sdd + 2 * kk * sd + pixels * kk * kk;
            }
            int n = perGroup * pixels;
            double mean = sum / n;
            out[2 * g] = mean;
            out[2 * g + 1] = 1.0 / Math.sqrt(Math.max(0.0, squares / n - mean * mean));
        }
    }

    /**
     * A stretch of whole pixels (about {@link #SPAN} values): per-channel patterns repeated across
     * it, and two sums per position kept in floats for up to {@link #FLUSH} stretches, then
     * {@link #flush}ed per channel into doubles.
     */
    private static final class Stretch {
        final int channels, length;
        final float[] a, b;
        /** A stretch of the input and of the gradient, staged at index 0 (see the class comment). */
        final float[] x, d;
        final double[] first, second;
        private final float[][] patterns = new float[9][];
        private int pending;

        /**
         * This thread's stretch for this channel count, made once: a new one per call allocated
         * ~20 KB, and a pass's fresh heap memory was the largest single cost of the reference
         * U-Net's shift computation at batch 1 (page faults on a heap still growing, measured).
         * Every use sets the patterns it reads and clears the sums first.
         */
        static Stretch of(int channels) {
            return KEPT.get().computeIfAbsent(channels, Stretch::new);
        }

        private static final ThreadLocal<java.util.Map<Integer, Stretch>> KEPT = ThreadLocal.withInitial(java.util.HashMap::new);

        Stretch(int channels) {
            this.channels = channels;
            this.length = channels * Math.max(1, SPAN / channels);
            a = new float[length];
            b = new float[length];
            x = new float[length];
            d = new float[length];
            first = new double[channels];
            second = new double[channels];
        }

        /** Scratch for 2·groups moments (see {@link #moments}). */
        double[] moments(int groups) {
            if (moments == null || moments.length != 2 * groups) moments = new double[2 * groups];
            return moments;
        }

        private double[] moments;

        /** Scratch pattern number i (its first {@code channels} values set by the caller, then {@link #repeat}ed). */
        float[] pattern(int i) {
            if (patterns[i] == null) patterns[i] = new float[length];
            return patterns[i];
        }

        /** Copies the first {@code channels} values of p across the stretch. */
        void repeat(float[] p) {
            for (int filled = channels; filled < length; filled *= 2) System.arraycopy(p, 0, p, filled, Math.min(filled, length - filled));
        }

        void clear() {
            java.util.Arrays.fill(a, 0f);
            java.util.Arrays.fill(b, 0f);
            java.util.Arrays.fill(first, 0);
            java.util.Arrays.fill(second, 0);
            pending = 0;
        }

        /** a += x − K, b += (x − K)² over the first n values of a staged stretch. */
        void addShifted(float[] x, int n, float[] k) {
            for (int j = 0; j < n; j++) {
                float d = x[j] - k[j];
                a[j] += d;
                b[j] = Fma.mulAdd(d, d, b[j]);
            }
            counted();
        }

        /** a += v, b += v·w over the first n values of staged stretches. */
        void addProducts(float[] v, float[] w, int n) {
            for (int j = 0; j < n; j++) {
                float d = v[j];
                a[j] += d;
                b[j] = Fma.mulAdd(d, w[j], b[j]);
            }
            counted();
        }

        /** d ← p·d + p0 + p1·x, then a += d, over the first n values of staged stretches. */
        void affineAdd(float[] d, float[] x, int n, float[] p, float[] p0, float[] p1) {
            for (int j = 0; j < n; j++) {
                float v = Fma.mulAdd(p[j], d[j], Fma.mulAdd(p1[j], x[j], p0[j]));
                d[j] = v;
                a[j] += v;
            }
            counted();
        }

        private void counted() {
            if (++pending == FLUSH) flush();
        }

        /** Adds each position's float sums into its channel's double sums, and clears them. */
        void flush() {
            for (int o = 0; o < length; o += channels) {
                for (int c = 0; c < channels; c++) {
                    first[c] += a[o + c];
                    second[c] += b[o + c];
                }
            }
            java.util.Arrays.fill(a, 0f);
            java.util.Arrays.fill(b, 0f);
            pending = 0;
        }
    }

    /** y ← silu(y) over the first n entries. */
    public static void silu(float[] y, int n) {
        silu(y, 0, n);
    }

    /** The logistic sigmoid 1/(1 + e^(−z)) to float precision, without exp (see the class comment). */
    public static float sigmoid(float z) {
        float y = Math.max(-4.5f, Math.min(4.5f, 0.25f * z));
        float y2 = y * y;
        float p = y * Fma.mulAdd(y2, Fma.mulAdd(y2, 378f + y2, 17325f), 135135f);
        float q = Fma.mulAdd(y2, Fma.mulAdd(y2, Fma.mulAdd(y2, 28f, 3150f), 62370f), 135135f);
        // ½ + u/(1 + u²) with u = p/q, as one division: ½ + p·q/(q² + p²) (all terms ≥ 0 below)
        return Fma.mulAdd(p, q / Fma.mulAdd(q, q, p * p), 0.5f);
    }
}
