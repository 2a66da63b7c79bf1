package org.diffusionplayground.app.imagemodel;

/**
 * One recorded frame of images, kept for display only: each pixel as an 8-bit level of its own
 * image's range, v ≈ lo + level·step with step = (max − min)/255, so a decoded pixel is within
 * step/2 of the original (a flat image is exact). A quarter of the float frame's memory; the
 * grid shows 256 greys anyway. Non-finite pixels (a diverging run) decode to the image's min.
 */
final class QuantisedImages {

    private static final int LEVELS = 255;

    private final byte[] levels; // [N·H·W], unsigned
    private final float[] lo;    // [N]
    private final float[] step;  // [N]

    private QuantisedImages(byte[] levels, float[] lo, float[] step) {
        this.levels = levels;
        this.lo = lo;
        this.step = step;
    }

    /** Quantises {@code images}, packed [count, H, W], each image to its own range. */
    static QuantisedImages of(float[] images, int count) {
        if (count < 1 || images.length % count != 0) {
            throw new IllegalArgumentException("%d pixels do not split into %d images".formatted(images.length, count));
        }
        int tile = images.length / count;
        byte[] levels = new byte[images.length];
        float[] lo = new float[count], step = new float[count];
        for (int i = 0; i < count; i++) {
            int from = i * tile, to = from + tile;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int p = from; p < to; p++) {
                float v = images[p];
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (min > max) min = max = 0; // no finite pixel
            float s = (max - min) / LEVELS;
            lo[i] = min;
            step[i] = s;
            if (s == 0) continue; // flat: every level 0
            float inverse = 1 / s;
            for (int p = from; p < to; p++) {
                float v = images[p];
                int level = Float.isFinite(v) ? Math.round((v - min) * inverse) : 0;
                levels[p] = (byte) Math.max(0, Math.min(LEVELS, level));
            }
        }
        return new QuantisedImages(levels, lo, step);
    }

    /** The images back as floats, packed [count, H, W]: a new array. */
    float[] toFloats() {
        int count = lo.length, tile = levels.length / count;
        float[] images = new float[levels.length];
        for (int i = 0; i < count; i++) {
            float min = lo[i], s = step[i];
            for (int p = i * tile, end = p + tile; p < end; p++) images[p] = min + (levels[p] & 0xFF) * s;
        }
        return images;
    }

    /** Bytes of pixel data and ranges held for a frame of {@code pixels} in {@code count} images. */
    static long bytesFor(int pixels, int count) {
        return pixels + 8L * count;
    }
}
