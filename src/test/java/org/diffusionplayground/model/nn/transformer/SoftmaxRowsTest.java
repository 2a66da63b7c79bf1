package org.diffusionplayground.model.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DDiT's Java softmax against the closed form computed in double with {@code Math.exp}. */
class SoftmaxRowsTest {

    @Test
    void exponentialIsWithinItsStatedErrorAcrossTheRange() {
        double worst = 0;
        for (int i = 0; i <= 2_000_000; i++) {
            float x = -87f * i / 2_000_000;
            double ref = Math.exp(x);
            worst = Math.max(worst, Math.abs(DDiTKernels.expNonPositive(x) - ref) / ref);
        }
        assertTrue(worst < 3.3e-5, "worst relative error " + worst);
        assertEquals(1f, DDiTKernels.expNonPositive(0f), 0f, "e^0 is exactly 1 (the row maximum's weight)");
        float tiny = DDiTKernels.expNonPositive(-1000f);
        assertTrue(tiny > 0 && tiny < 1e-37f && Float.isFinite(tiny), "far below −87 it stays a tiny normal: " + tiny);
    }

    @Test
    void rowsMatchTheClosedFormSoftmax() {
        int rows = 37, n = 29; // more than one 16-row piece, a ragged last piece
        Random r = new Random(11);
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 6);
        FloatBuffer buf = FloatBuffer.wrap(x.clone());
        DDiTKernels.softmaxRows(buf, rows, n);
        for (int row = 0; row < rows; row++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < n; j++) max = Math.max(max, x[row * n + j]);
            for (int j = 0; j < n; j++) sum += Math.exp(x[row * n + j] - max);
            for (int j = 0; j < n; j++) {
                double want = Math.exp(x[row * n + j] - max) / sum;
                assertEquals(want, buf.get(row * n + j), 5e-5 * want + 1e-9, "row " + row + " column " + j);
            }
        }
    }
}
