package org.diffusionplayground.model.data;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated images as viewable data. A model's samples live in the data range [−1, 1] of DDPM
 * (Ho et al. 2020, §3.3) and may overshoot it; {@link #toUnit} maps them to [0, 1] with
 * clipping, the range of the classifier and of files; {@link #grid} lays N images out as one
 * 8-bit grey picture (no AWT here: the CLI writes it as PNG, the app draws it).
 */
public final class DigitImages {

    /** Grey level of the lines between tiles: mid-grey, so black digit borders stay visible. */
    public static final int GAP_GREY = 128;

    private DigitImages() {
    }

    /**
     * (x + 1)/2 clipped to [0, 1], as float32 of the same shape.
     *
     * @param x images in [−1, 1] (any shape, e.g. [N, 1, 28, 28])
     */
    public static INDArray toUnit(INDArray x) {
        float[] v = HeapArrays.floats(x);
        for (int i = 0; i < v.length; i++) v[i] = unit(v[i]);
        return Nd4j.create(v, x.shape(), 'c');
    }

    /** One value of {@link #toUnit}; NaN maps to 0 (black) rather than poisoning a file. */
    public static float unit(float x) {
        float u = (x + 1) / 2;
        return u > 1 ? 1 : (u >= 0 ? u : 0);
    }

    /** A grey picture, row-major, one unsigned byte per pixel. */
    public record Grid(int width, int height, int columns, int rows, byte[] grey) {

        /** The grey level 0…255 at (x, y). */
        public int at(int x, int y) {
            return grey[y * width + x] & 0xFF;
        }
    }

    /**
     * Lays images out in ⌈√N⌉ columns, row by row, each pixel magnified to scale × scale and
     * mapped to round(255 · u), with {@code gap} pixels of {@link #GAP_GREY} between tiles and
     * none around the edge. Width = columns·W·scale + (columns − 1)·gap, likewise the height.
     *
     * @param x images [N, H, W] or [N, 1, H, W] in [−1, 1] (clipped as by {@link #toUnit})
     */
    public static Grid grid(INDArray x, int scale, int gap) {
        long[] s = x.shape();
        if (!(s.length == 3 || (s.length == 4 && s[1] == 1))) {
            throw new IllegalArgumentException("images must be [N, H, W] or [N, 1, H, W], got " + Arrays.toString(s));
        }
        if (scale < 1 || scale > 16) throw new IllegalArgumentException("scale (%d) must be in [1, 16]".formatted(scale));
        if (gap < 0 || gap > 64) throw new IllegalArgumentException("gap (%d) must be in [0, 64]".formatted(gap));
        int n = (int) s[0], h = (int) s[s.length - 2], w = (int) s[s.length - 1];
        int columns = (int) Math.ceil(Math.sqrt(n)), rows = (n + columns - 1) / columns;
        int tileW = w * scale, tileH = h * scale;
        int width = columns * tileW + (columns - 1) * gap, height = rows * tileH + (rows - 1) * gap;
        byte[] grey = new byte[width * height];
        Arrays.fill(grey, (byte) GAP_GREY);
        float[] v = HeapArrays.floats(x);
        for (int k = 0; k < n; k++) {
            int left = (k % columns) * (tileW + gap), top = (k / columns) * (tileH + gap);
            for (int py = 0; py < tileH; py++) {
                int row = k * h * w + (py / scale) * w;
                int base = (top + py) * width + left;
                for (int px = 0; px < tileW; px++) {
                    grey[base + px] = (byte) Math.round(255 * unit(v[row + px / scale]));
                }
            }
        }
        // tiles after the last image in the bottom row stay gap-grey
        return new Grid(width, height, columns, rows, grey);
    }
}
