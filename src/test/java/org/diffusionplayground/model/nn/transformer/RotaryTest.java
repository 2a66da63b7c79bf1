package org.diffusionplayground.model.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RoFormer's defining property (Su et al. 2021, eq. 16): rotated scores depend on the offset alone. */
class RotaryTest {

    private static final int L = 12, DH = 8;

    @Test
    void scoresDependOnTheOffsetAlone() {
        Rotary rotary = new Rotary(L, DH);
        Random r = new Random(3);
        float[] q = new float[DH], k = new float[DH];
        for (int e = 0; e < DH; e++) { q[e] = (float) r.nextGaussian(); k[e] = (float) r.nextGaussian(); }
        // every position holds the same q (resp. k); after rotation q_i·k_j must depend on i − j only
        float[] qs = tile(rotary, q), ks = tile(rotary, k);
        assertEquals(dot(qs, 5, ks, 2), dot(qs, 9, ks, 6), 1e-5);
        assertEquals(dot(qs, 2, ks, 7), dot(qs, 4, ks, 9), 1e-5);
        assertEquals(dot(qs, 0, ks, 0), dot(q, 0, k, 0), 1e-5, "offset 0 is the unrotated score");
        double far = Math.abs(dot(qs, 0, ks, 6) - dot(qs, 6, ks, 0));
        org.junit.jupiter.api.Assertions.assertTrue(far > 1e-3, "offsets +6 and −6 differ (the sine is odd): " + far);
    }

    @Test
    void inverseUndoesTheRotationAndKeepsNorms() {
        Rotary rotary = new Rotary(L, DH);
        Random r = new Random(4);
        float[] x = new float[2 * L * DH];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] y = x.clone();
        rotary.rotate(y, 2, false);
        for (int row = 0; row < 2 * L; row++) assertEquals(norm(x, row), norm(y, row), 1e-4);
        rotary.rotate(y, 2, true);
        for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-5);
    }

    @Test
    void oddHeadWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Rotary(L, 7));
    }

    private static float[] tile(Rotary rotary, float[] v) {
        float[] out = new float[L * DH];
        for (int i = 0; i < L; i++) System.arraycopy(v, 0, out, i * DH, DH);
        rotary.rotate(out, 1, false);
        return out;
    }

    private static double dot(float[] a, int i, float[] b, int j) {
        double s = 0;
        for (int e = 0; e < DH; e++) s += a[i * DH + e] * b[j * DH + e];
        return s;
    }

    private static double norm(float[] a, int row) {
        return Math.sqrt(dot(a, row, a, row));
    }
}
