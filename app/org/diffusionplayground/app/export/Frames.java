package org.diffusionplayground.app.export;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Images for export drawn from plain data: a grid of grey digits (values in [−1, 1], packed
 * [N, side, side]), two grids side by side (x_t | x̂0), and a strip of frames in a row.
 */
public final class Frames {

    /** Pixels between two images of a grid, and around a composition. */
    static final int GAP = 2;
    static final int MARGIN = 8;
    static final Color BACKGROUND = new Color(0x2a3040);

    private Frames() {
    }

    /** {@code images} as a grid of {@code columns} columns, each pixel {@code scale}×{@code scale}. */
    public static BufferedImage grid(float[] images, int side, int columns, int scale) {
        int pixels = side * side, count = images.length / pixels, rows = (count + columns - 1) / columns;
        int cell = side * scale + GAP;
        BufferedImage out = new BufferedImage(columns * cell - GAP, rows * cell - GAP, BufferedImage.TYPE_INT_RGB);
        fill(out, BACKGROUND);
        for (int n = 0; n < count; n++) {
            int x0 = (n % columns) * cell, y0 = (n / columns) * cell;
            for (int y = 0; y < side * scale; y++) {
                for (int x = 0; x < side * scale; x++) {
                    float v = images[n * pixels + (y / scale) * side + x / scale];
                    int g = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5f);
                    out.setRGB(x0 + x, y0 + y, g << 16 | g << 8 | g);
                }
            }
        }
        return out;
    }

    /** The images in a row with a margin around and between them. */
    public static BufferedImage row(List<BufferedImage> images) {
        int width = MARGIN, height = 0;
        for (BufferedImage i : images) {
            width += i.getWidth() + MARGIN;
            height = Math.max(height, i.getHeight());
        }
        BufferedImage out = new BufferedImage(width, height + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        fill(out, BACKGROUND);
        Graphics2D g = out.createGraphics();
        int x = MARGIN;
        for (BufferedImage i : images) {
            g.drawImage(i, x, MARGIN, null);
            x += i.getWidth() + MARGIN;
        }
        g.dispose();
        return out;
    }

    /** The images one under another (e.g. a strip of x_t above the strip of x̂0). */
    public static BufferedImage column(List<BufferedImage> images) {
        int width = 0, height = 0;
        for (BufferedImage i : images) {
            width = Math.max(width, i.getWidth());
            height += i.getHeight();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        fill(out, BACKGROUND);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, 0, y, null);
            y += i.getHeight();
        }
        g.dispose();
        return out;
    }

    /** {@code count} frame indices spread evenly over [0, frames − 1], first and last included. */
    public static int[] spread(int frames, int count) {
        int n = Math.max(1, Math.min(frames, count));
        int[] k = new int[n];
        for (int i = 0; i < n; i++) k[i] = n == 1 ? frames - 1 : (int) Math.round((double) i * (frames - 1) / (n - 1));
        return k;
    }

    private static void fill(BufferedImage image, Color colour) {
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
    }
}
