package org.diffusionplayground.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurveTest {

    @Test
    void valueAtInterpolatesLinearlyAndIsNaNOutside() {
        Curve c = new Curve("c", 0, new double[] {0, 1, 3}, new double[] {10, 20, 0});
        assertEquals(15, c.valueAt(0.5), 1e-12);
        assertEquals(10, c.valueAt(2), 1e-12);
        assertTrue(Double.isNaN(c.valueAt(3.5)));
    }

    @Test
    void mismatchedArraysAreRejectedWithTheirLengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Curve("β", 0, new double[2], new double[3]));
        assertEquals("curve 'β': 2 x values but 3 y values", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Curve("β", -1, new double[1], new double[1]));
    }
}
