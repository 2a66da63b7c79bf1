package org.diffusionplayground.viz;

import java.nio.IntBuffer;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;

/**
 * A grid of grayscale images drawn from one packed {@code float[]} ([N, H, W], row-major): value
 * {@code low} is black, {@code high} white, values outside are clipped. Pixels are written into an
 * int[] behind a {@link PixelBuffer}, so a re-render is one pass over the floats and one texture
 * upload; the image is shown with nearest-neighbour scaling at an integer zoom where it fits.
 */
public class ImageGridView extends Region {

    private final ObjectProperty<float[]> images = new SimpleObjectProperty<>(this, "images");
    private final IntegerProperty tileWidth = new SimpleIntegerProperty(this, "tileWidth", 28);
    private final IntegerProperty tileHeight = new SimpleIntegerProperty(this, "tileHeight", 28);
    private final IntegerProperty columns = new SimpleIntegerProperty(this, "columns", 4);
    private final IntegerProperty gap = new SimpleIntegerProperty(this, "gap", 1);
    private final DoubleProperty low = new SimpleDoubleProperty(this, "low", -1);
    private final DoubleProperty high = new SimpleDoubleProperty(this, "high", 1);

    private final ImageView view = new ImageView();
    private PixelBuffer<IntBuffer> buffer;
    private int[] argb = new int[0];
    private int rendered;

    public ImageGridView() {
        getStyleClass().add(StyleClasses.IMAGE_GRID);
        view.setSmooth(false);
        view.setPreserveRatio(true);
        getChildren().add(view);
        for (Observable p : new Observable[] {images, tileWidth, tileHeight, columns, gap, low, high}) {
            p.addListener(o -> render());
        }
    }

    public ObjectProperty<float[]> imagesProperty() { return images; }
    public IntegerProperty tileWidthProperty() { return tileWidth; }
    public IntegerProperty tileHeightProperty() { return tileHeight; }
    public IntegerProperty columnsProperty() { return columns; }
    public IntegerProperty gapProperty() { return gap; }
    public DoubleProperty lowProperty() { return low; }
    public DoubleProperty highProperty() { return high; }

    /** How many times {@link #render()} has drawn (for tests). */
    public int renderCount() { return rendered; }

    /** The ARGB pixel at (x, y) of the full grid image, or 0 when nothing is drawn (for tests). */
    public int pixelAt(int x, int y) {
        if (buffer == null) return 0;
        return argb[y * buffer.getWidth() + x];
    }

    /** Redraws every tile from {@link #imagesProperty()}. */
    public void render() {
        float[] data = images.get();
        int tw = tileWidth.get(), th = tileHeight.get(), g = Math.max(0, gap.get());
        int tile = tw * th;
        if (data == null || tile <= 0 || data.length < tile) {
            view.setImage(null);
            buffer = null;
            return;
        }
        int count = data.length / tile;
        int cols = Math.max(1, Math.min(columns.get(), count));
        int rows = (count + cols - 1) / cols;
        int width = cols * tw + (cols - 1) * g, height = rows * th + (rows - 1) * g;
        if (buffer == null || buffer.getWidth() != width || buffer.getHeight() != height) {
            argb = new int[width * height];
            buffer = new PixelBuffer<>(width, height, IntBuffer.wrap(argb), PixelFormat.getIntArgbPreInstance());
            view.setImage(new WritableImage(buffer));
            requestLayout();
        }
        java.util.Arrays.fill(argb, 0); // gaps stay transparent: the region's background shows
        float lo = (float) low.get(), scale = 255f / (float) (high.get() - low.get());
        for (int n = 0; n < count; n++) {
            int x0 = (n % cols) * (tw + g), y0 = (n / cols) * (th + g), src = n * tile;
            for (int y = 0; y < th; y++) {
                int dst = (y0 + y) * width + x0;
                for (int x = 0; x < tw; x++) {
                    float v = (data[src++] - lo) * scale;
                    int gray = v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f);
                    argb[dst + x] = 0xFF000000 | gray << 16 | gray << 8 | gray;
                }
            }
        }
        buffer.updateBuffer(b -> null);
        rendered++;
    }

    @Override
    protected void layoutChildren() {
        if (buffer == null) return;
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        double zoom = Math.min(w / buffer.getWidth(), h / buffer.getHeight());
        // below 3×, keep every pixel the same size (at 2.9× some would be 2 px and some 3: visibly uneven); from
        // 3× on the 3-or-4 px mix is hard to see, and flooring 3.9× to 3× threw away a quarter of the grid's size
        // (a projector's 1280×720 drew the Forward digits 345 px high in a 460 px card)
        if (zoom >= 2 && zoom < 3) zoom = Math.floor(zoom);
        double fw = buffer.getWidth() * zoom, fh = buffer.getHeight() * zoom;
        view.setFitWidth(fw);
        view.setFitHeight(fh);
        view.relocate(snappedLeftInset() + (w - fw) / 2, snappedTopInset() + (h - fh) / 2);
    }

    @Override protected double computePrefWidth(double height) { return 28 * 4 * 6; }
    @Override protected double computePrefHeight(double width) { return 28 * 4 * 6; }
    @Override protected double computeMinWidth(double height) { return 120; }
    @Override protected double computeMinHeight(double width) { return 90; } // a 1280×720 projector with a lesson open: the status bar stays in the window
}
