package org.diffusionplayground.model.nn.transformer;

import java.util.Map;
import org.diffusionplayground.model.nn.Sinusoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DDiT forward pass written out in plain Java doubles from its description ({@link DDiTLayout}'s
 * Javadoc: SEDD's DDiT with adaLN-Zero, the column orders stated there), independently of the
 * SameDiff graph, for one sequence at a time. Slow; for tests on tiny configs. For the
 * autoregressive model: position i reads x_{i−1} (position 0 the start token, id V), attends to
 * positions j ≤ i only, and t is 0 whatever is given.
 */
final class ReferenceDDiT {

    private final TransformerConfig c;
    private final Map<String, INDArray> w;

    ReferenceDDiT(TransformerConfig config, Map<String, INDArray> weights) {
        this.c = config;
        this.w = weights;
    }

    /** Logits [L][V+1] of one sequence at time t. */
    double[][] logits(int[] tokens, double t) {
        int l = c.length(), d = c.width();
        boolean ar = c.autoregressive();
        if (ar) t = 0;
        double[][] h = new double[l][d];
        for (int i = 0; i < l; i++) {
            int read = !ar ? tokens[i] : i == 0 ? c.maskId() : tokens[i - 1];
            for (int k = 0; k < d; k++) h[i][k] = get("embed.tokens", read, k);
        }
        float[] feats = Sinusoid.features(new float[] {(float) t}, c.timeFeatures());
        double[] f = new double[feats.length];
        for (int k = 0; k < f.length; k++) f[k] = feats[k];
        double[] cond = silu(dense("time.fc2", silu(dense("time.fc1", f))));
        for (int n = 0; n < c.layers(); n++) {
            String p = "blocks." + n;
            double[] ada = dense(p + ".ada", cond); // shift_a | scale_a | gate_a | shift_m | scale_m | gate_m
            double[][] a = attention(p, modulate(h, ada, 0, 1));
            for (int i = 0; i < l; i++) for (int k = 0; k < d; k++) h[i][k] += ada[2 * d + k] * a[i][k];
            double[][] x = modulate(h, ada, 3, 4);
            for (int i = 0; i < l; i++) {
                double[] hidden = dense(p + ".mlp.fc", x[i]);
                for (int j = 0; j < hidden.length; j++) hidden[j] = gelu(hidden[j]);
                double[] y = dense(p + ".mlp.proj", hidden);
                for (int k = 0; k < d; k++) h[i][k] += ada[5 * d + k] * y[k];
            }
        }
        double[] ada = dense("final.ada", cond); // shift | scale
        double[][] x = modulate(h, ada, 0, 1);
        double[][] out = new double[l][];
        for (int i = 0; i < l; i++) out[i] = dense("final.linear", x[i]);
        return out;
    }

    /** LN(h)·(1 + scale) + shift with shift, scale the chunks {@code shift}, {@code scale} of ada. */
    private double[][] modulate(double[][] h, double[] ada, int shift, int scale) {
        int d = c.width();
        double[][] out = new double[h.length][d];
        for (int i = 0; i < h.length; i++) {
            double mean = 0, var = 0;
            for (double v : h[i]) mean += v / d;
            for (double v : h[i]) var += (v - mean) * (v - mean) / d;
            for (int k = 0; k < d; k++) {
                out[i][k] = (h[i][k] - mean) / Math.sqrt(var + DDiTGraph.LN_EPS) * (1 + ada[scale * d + k]) + ada[shift * d + k];
            }
        }
        return out;
    }

    /** Multi-head softmax attention, qkv columns q | k | v, heads of d/heads consecutive columns; causal: keys j ≤ i. */
    private double[][] attention(String p, double[][] x) {
        int l = c.length(), d = c.width(), dh = c.headWidth();
        double[][] qkv = new double[l][];
        for (int i = 0; i < l; i++) qkv[i] = matmul(p + ".attn.qkv.w", x[i]);
        for (int i = 0; i < l; i++) for (int head = 0; head < c.heads(); head++) {
            rotate(qkv[i], head * dh, dh, i);     // q
            rotate(qkv[i], d + head * dh, dh, i); // k
        }
        double[][] o = new double[l][d];
        for (int head = 0; head < c.heads(); head++) {
            int q0 = head * dh, k0 = d + head * dh, v0 = 2 * d + head * dh;
            for (int i = 0; i < l; i++) {
                int keys = c.autoregressive() ? i + 1 : l;
                double[] s = new double[keys];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < keys; j++) {
                    for (int e = 0; e < dh; e++) s[j] += qkv[i][q0 + e] * qkv[j][k0 + e];
                    s[j] /= Math.sqrt(dh);
                    max = Math.max(max, s[j]);
                }
                for (int j = 0; j < keys; j++) sum += s[j] = Math.exp(s[j] - max);
                for (int j = 0; j < keys; j++) for (int e = 0; e < dh; e++) o[i][q0 + e] += s[j] / sum * qkv[j][v0 + e];
            }
        }
        double[][] out = new double[l][];
        for (int i = 0; i < l; i++) out[i] = matmul(p + ".attn.out.w", o[i]);
        return out;
    }

    /**
     * RoFormer (Su et al. 2021, eq. 34) in complex form: the pair (x_e, x_{e+dh/2}) at offset
     * {@code from} is the number x_e + i·x_{e+dh/2}, multiplied by exp(i·pos·10000^(−2e/dh)).
     */
    private static void rotate(double[] x, int from, int dh, int pos) {
        int half = dh / 2;
        for (int e = 0; e < half; e++) {
            double re = x[from + e], im = x[from + e + half], angle = pos * Math.pow(10000, -2.0 * e / dh);
            double cr = Math.cos(angle), ci = Math.sin(angle);
            x[from + e] = re * cr - im * ci;
            x[from + e + half] = re * ci + im * cr;
        }
    }

    private double[] dense(String name, double[] x) {
        double[] y = matmul(name + ".w", x);
        for (int j = 0; j < y.length; j++) y[j] += w.get(name + ".b").getDouble(j);
        return y;
    }

    private double[] matmul(String name, double[] x) {
        INDArray m = w.get(name).castTo(DataType.DOUBLE);
        int out = (int) m.size(1);
        double[] y = new double[out];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < out; j++) y[j] += x[i] * m.getDouble(i, j);
        return y;
    }

    private double get(String name, int row, int col) {
        return w.get(name).getDouble(row, col);
    }

    private static double[] silu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] / (1 + Math.exp(-x[i]));
        return y;
    }

    /** GELU, tanh form (Hendrycks &amp; Gimpel 2016). */
    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }
}
