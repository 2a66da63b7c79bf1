package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffusionplayground.model.nn.HeapArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class NoiseTest {

    /** The float draws are the array draws bit for bit (a training batch's ε must not change with the path taken), an odd count included. */
    @Test
    void floatDrawsAreTheArrayDrawsRoundedAsNd4jRoundsThem() {
        for (int n : new int[] {1, 7, 50_176}) {
            float[] viaArray = HeapArrays.floats(new Noise(42, DataType.FLOAT).normal(n));
            assertArrayEquals(viaArray, new Noise(42).normalFloats(n), "n = " + n);
        }
    }

    /** Each call continues the stream: two calls are not the same draws. */
    @Test
    void callsContinueTheStream() {
        Noise noise = new Noise(3);
        float[] a = noise.normalFloats(4), b = noise.normalFloats(4);
        assertEquals(4, a.length);
        assertEquals(false, java.util.Arrays.equals(a, b));
    }
}
