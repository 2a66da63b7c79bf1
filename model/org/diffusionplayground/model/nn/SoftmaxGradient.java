package org.diffusionplayground.model.nn;

import java.nio.FloatBuffer;

/**
 * The gradient of a row softmax P = softmax(S), given dL/dP: dS = P ⊙ (dP − Σ_c P ⊙ dP) row by
 * row (the softmax's Jacobian diag(p) − p·pᵀ applied to dP), for the attention of the DDiT and of
 * the U-Net. Rows are read and written in bulk; the row's dot product runs in
 * {@link LaneSums}' independent accumulators.
 */
public final class SoftmaxGradient {

    private SoftmaxGradient() {
    }

    /** dS in place in {@code dp}, for {@code rows} rows of {@code width} values of p and dp (both from index 0). */
    public static void rows(FloatBuffer p, FloatBuffer dp, int rows, int width) {
        float[] pr = new float[width], gr = new float[width];
        for (int r = 0; r < rows; r++) {
            p.get(r * width, pr, 0, width);
            dp.get(r * width, gr, 0, width);
            float f = (float) LaneSums.dot(pr, 0, gr, 0, width);
            for (int c = 0; c < width; c++) gr[c] = pr[c] * (gr[c] - f);
            dp.put(r * width, gr, 0, width);
        }
    }
}
