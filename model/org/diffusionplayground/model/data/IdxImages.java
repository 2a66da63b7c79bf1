package org.diffusionplayground.model.data;

/**
 * The contents of an IDX3 image file: {@code count} images of {@code rows × cols} unsigned bytes,
 * row-major, one after another. {@code pixels} is owned by this record: do not modify it.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "need count ≥ 0, rows ≥ 1, cols ≥ 1 (got %d, %d, %d)".formatted(count, rows, cols));
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels has %d bytes, expected %d × %d × %d"
                    .formatted(pixels.length, count, rows, cols));
        }
    }

    /** Pixel (r, c) of image i as 0…255. */
    public int pixel(int i, int r, int c) {
        return pixels[(i * rows + r) * cols + c] & 0xFF;
    }
}
