package org.diffusionplayground.app.imagemodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 1000-step recording of 8 × 8 or 4 × 4 images: the memory it holds (measured by walking its
 * fields, not by its own accounting) and the frames a scrub gets back. Frames are synthetic: x
 * shrinks from N(0, 1) noise towards a digit-like image, x̂0 is that image plus small noise.
 */
class RecordingTest {

    private static final int PIXELS = 784;

    /** x after step j of n (x_T at j = 0): noise fading into a vertical bar of +1 on −1. */
    private static float[] frame(SplittableRandom random, int count, int j, int n) {
        float[] x = new float[count * PIXELS];
        double noise = 1 - (double) j / n;
        for (int p = 0; p < x.length; p++) {
            float clean = (p % 28) / 7 == 2 ? 1 : -1;
            x[p] = (float) ((1 - noise) * clean + noise * 2 * (random.nextDouble() - 0.5) * 1.7);
        }
        return x;
    }

    /** Runs n synthetic steps into {@code rec}, returning copies of the x at {@code keepStep} and the x̂0 at it. */
    private static float[][] record(Recording rec, int n, int keepStep) {
        SplittableRandom random = new SplittableRandom(7);
        int count = rec.count();
        float[] xT = frame(random, count, 0, n);
        rec.start(1.0, xT);
        float[][] kept = new float[2][];
        if (keepStep == 0) kept[0] = xT.clone();
        for (int i = 0; i < n; i++) {
            float[] xNext = frame(random, count, i + 1, n), predX0 = frame(random, count, n - 1, n);
            if (i + 1 == keepStep) kept[0] = xNext.clone();
            if (i == keepStep) kept[1] = predX0.clone();
            rec.step(i, 1.0 - (i + 1.0) / n, i + 1, i, xNext, predX0);
        }
        return kept;
    }

    @Test
    void aThousandStep8x8RunHoldsWellUnder100MbAndSaysWhichStepsItKept() throws IllegalAccessException {
        Recording rec = new Recording(1000, 64);
        float[][] original = record(rec, 1000, 500);
        long bytes = bytesHeld(rec);
        // float storage held 2 frames × 1001 × 64 × 784 × 4 B = 401.8 MB
        assertTrue(bytes < 55_000_000, "8×8, 1000 steps holds " + bytes + " bytes");
        assertTrue(rec.complete());
        assertEquals(2, rec.stride(), "8-bit frames of every step would take 101 MB > the 64 MiB budget");
        assertEquals(501, rec.frames());
        assertEquals(500, rec.stepOf(250));
        assertEquals(1000, rec.stepOf(500));
        assertEquals(0.5, rec.t(250), 1e-12);
        assertEquals(500, rec.nfe(250));
        assertWithinHalfAStep(original[0], rec.x(250), 64);
        assertWithinHalfAStep(original[1], rec.predX0(250), 64);
    }

    @Test
    void aThousandStep4x4RunKeepsEveryStepInAQuarterOfTheFloats() throws IllegalAccessException {
        Recording rec = new Recording(1000, 16);
        float[][] original = record(rec, 1000, 137);
        long bytes = bytesHeld(rec);
        // float storage held 2 × 1001 × 16 × 784 × 4 B = 100.4 MB
        assertTrue(bytes < 27_000_000, "4×4, 1000 steps holds " + bytes + " bytes");
        assertEquals(1, rec.stride());
        assertEquals(1001, rec.frames());
        assertEquals(137, rec.stepOf(137));
        float[] x = rec.x(137);
        assertWithinHalfAStep(original[0], x, 16);
        assertFalse(java.util.Arrays.equals(original[0], x), "the frame is quantised, not kept as floats");
        assertWithinHalfAStep(original[1], rec.predX0(137), 16);
    }

    @Test
    void theFinalSamplesStayExactAndAreTheLastFramesPredX0() {
        Recording rec = new Recording(5, 4, 1); // a 1-byte budget: only x_T and the end are kept
        SplittableRandom random = new SplittableRandom(3);
        rec.start(1.0, frame(random, 4, 0, 5));
        assertNull(rec.predX0(0), "no x̂0 before the first step");
        float[] last = null;
        for (int i = 0; i < 5; i++) {
            last = frame(random, 4, i + 1, 5);
            rec.step(i, 1.0 - (i + 1.0) / 5, i + 1, i, last, frame(random, 4, 4, 5));
            assertEquals(i < 4 ? 1 : 2, rec.frames(), "after step " + i);
        }
        assertEquals(5, rec.stride());
        assertArrayEquals(last, rec.x(1));
        assertSame(rec.x(1), rec.predX0(1));
        assertEquals(5, rec.stepOf(1));
        assertEquals(5, rec.nfe(1));
    }

    @Test
    void aFlatImageIsExactAndNonFinitePixelsDecodeToTheImagesMinimum() {
        float[] images = new float[2 * PIXELS];
        java.util.Arrays.fill(images, 0, PIXELS, -4.9f);
        for (int p = PIXELS; p < images.length; p++) images[p] = p % 2 == 0 ? 0.25f : 0.75f;
        images[PIXELS + 1] = Float.NaN;
        images[PIXELS + 3] = Float.POSITIVE_INFINITY;
        float[] back = QuantisedImages.of(images, 2).toFloats();
        for (int p = 0; p < PIXELS; p++) assertEquals(-4.9f, back[p], 0f);
        assertEquals(0.25f, back[PIXELS], 1e-6f);
        assertEquals(0.75f, back[PIXELS + 5], 1e-6f);
        assertEquals(0.25f, back[PIXELS + 1], 1e-6f, "NaN → the image's min");
        assertEquals(0.25f, back[PIXELS + 3], 1e-6f, "∞ → the image's min");
    }

    /** Every pixel within half of its image's step (max − min)/255, computed here from the original. */
    private static void assertWithinHalfAStep(float[] original, float[] decoded, int count) {
        assertEquals(original.length, decoded.length);
        for (int i = 0; i < count; i++) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int p = i * PIXELS; p < (i + 1) * PIXELS; p++) {
                min = Math.min(min, original[p]);
                max = Math.max(max, original[p]);
            }
            double halfStep = (max - min) / 255.0 / 2;
            assertTrue(halfStep > 0, "image " + i + " is not flat");
            for (int p = i * PIXELS; p < (i + 1) * PIXELS; p++) {
                assertEquals(original[p], decoded[p], halfStep * 1.0001 + 1e-7, "image " + i + " pixel " + (p - i * PIXELS));
            }
        }
    }

    /**
     * Bytes reachable from {@code root} through its fields and arrays (each array's elements plus a
     * 16-byte header, each object's fields at 8 bytes), every object counted once; boxed values,
     * strings and classes outside this package are not followed.
     */
    static long bytesHeld(Object root) throws IllegalAccessException {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        return bytesHeld(root, Collections.newSetFromMap(seen));
    }

    private static long bytesHeld(Object o, java.util.Set<Object> seen) throws IllegalAccessException {
        if (o == null || !seen.add(o)) return 0;
        Class<?> c = o.getClass();
        if (c.isArray()) {
            int n = Array.getLength(o);
            Class<?> e = c.getComponentType();
            if (e.isPrimitive()) {
                int size = e == byte.class || e == boolean.class ? 1 : e == short.class || e == char.class ? 2
                        : e == int.class || e == float.class ? 4 : 8;
                return 16 + (long) n * size;
            }
            long bytes = 16 + 8L * n;
            for (int i = 0; i < n; i++) bytes += bytesHeld(Array.get(o, i), seen);
            return bytes;
        }
        if (!c.getPackageName().equals(RecordingTest.class.getPackageName())) return 0;
        long bytes = 16;
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            bytes += 8;
            if (!f.getType().isPrimitive()) {
                f.setAccessible(true);
                bytes += bytesHeld(f.get(o), seen);
            }
        }
        return bytes;
    }
}
