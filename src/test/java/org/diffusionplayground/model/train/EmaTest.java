package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/** The average against its closed form: two updates with the warm-up decay, shapes kept. */
class EmaTest {

    @Test
    void twoUpdatesFollowTheWarmUpDecay() {
        Map<String, INDArray> w = new LinkedHashMap<>();
        w.put("a", Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c'));
        w.put("b", Nd4j.create(new float[] {-1}, new long[] {1}, 'c'));
        Ema ema = new Ema(0.999, w, null);
        double d1 = 2.0 / 11, d2 = 3.0 / 12; // min(decay, (1 + n)/(10 + n)) for n = 1, 2
        w.get("a").addi(1);
        w.get("b").muli(3);
        ema.update(w, 1);
        w.get("a").addi(1);
        ema.update(w, 2);
        Map<String, INDArray> s = ema.snapshot();
        assertArrayEquals(new long[] {2, 3}, s.get("a").shape());
        for (int i = 0; i < 6; i++) {
            double init = i + 1, avg = d2 * (d1 * init + (1 - d1) * (init + 1)) + (1 - d2) * (init + 2);
            assertEquals(avg, s.get("a").getDouble(i), 1e-5, "a[" + i + "]");
        }
        assertEquals(d2 * (d1 * -1 + (1 - d1) * -3) + (1 - d2) * -3, s.get("b").getDouble(0), 1e-5);
        assertEquals(DataType.FLOAT, s.get("a").dataType());
    }
}
