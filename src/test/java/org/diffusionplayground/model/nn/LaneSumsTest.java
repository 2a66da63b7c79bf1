package org.diffusionplayground.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-accumulator reductions against plain double loops, at lengths with and without a tail. */
class LaneSumsTest {

    @Test
    void reductionsMatchPlainLoops() {
        Random r = new Random(5);
        float[] a = new float[300], b = new float[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * 3 + 100); // far from 0: the shifted moments must not cancel
            b[i] = (float) r.nextGaussian();
        }
        for (int o : new int[] {0, 3}) {
            for (int n : new int[] {1, 7, 8, 29, 256}) {
                double sum = 0, dot = 0, mean = 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = o; i < o + n; i++) {
                    sum += a[i];
                    dot += (double) a[i] * b[i + 1];
                    max = Math.max(max, a[i]);
                    mean += a[i];
                }
                mean /= n;
                double var = 0;
                for (int i = o; i < o + n; i++) var += (a[i] - mean) * (a[i] - mean);
                String at = "offset " + o + ", n " + n;
                assertEquals(sum, LaneSums.sum(a, o, n), 1e-4 * n, at);
                assertEquals(dot, LaneSums.dot(a, o, b, o + 1, n), 1e-3 * n, at);
                assertEquals(max, LaneSums.max(a, o, n), 0f, at);
                double[] out = new double[2];
                LaneSums.shifted(a, o, n, out);
                double dMean = out[0] / n;
                assertEquals(var / n, out[1] / n - dMean * dMean, 1e-3, at);
                assertEquals(mean, a[o] + dMean, 1e-4, at);
            }
        }
    }
}
