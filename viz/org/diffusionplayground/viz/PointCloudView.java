package org.diffusionplayground.viz;

import java.util.List;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A 2-D point cloud on a square canvas with equal axis scales: the points ({@code float[]} of
 * interleaved x, y), optionally a faint reference cloud (the true data) and a few paths
 * (polylines of interleaved x, y, e.g. trajectories of single points). The view spans
 * [−extent, extent] on both axes.
 */
public class PointCloudView extends Region implements ChartStyle.Owner {

    private final ObjectProperty<float[]> points = new SimpleObjectProperty<>(this, "points");
    private final ObjectProperty<float[]> reference = new SimpleObjectProperty<>(this, "reference");
    private final ObjectProperty<List<float[]>> paths = new SimpleObjectProperty<>(this, "paths", List.of());
    private final DoubleProperty extent = new SimpleDoubleProperty(this, "extent", 3.5);
    private final IntegerProperty colour = new SimpleIntegerProperty(this, "colour", 0);
    private final ChartStyle style = new ChartStyle(this);
    private final Canvas canvas = new Canvas();
    private int rendered;

    public PointCloudView() {
        getStyleClass().add(StyleClasses.POINT_CLOUD);
        getChildren().add(canvas);
        for (Observable p : new Observable[] {points, reference, paths, extent, colour}) p.addListener(o -> render());
        style.addListener(this::requestLayout);
    }

    public ObjectProperty<float[]> pointsProperty() { return points; }
    public ObjectProperty<float[]> referenceProperty() { return reference; }
    public ObjectProperty<List<float[]>> pathsProperty() { return paths; }
    public DoubleProperty extentProperty() { return extent; }
    /** Palette index of the points' colour. */
    public IntegerProperty colourProperty() { return colour; }
    @Override public ChartStyle chartStyle() { return style; }

    /** How many times {@link #render()} has drawn (for tests). */
    public int renderCount() { return rendered; }

    public void render() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.setFill(style.background());
        g.fillRect(0, 0, w, h);
        double side = Math.min(w, h) - 8, ox = (w - side) / 2, oy = (h - side) / 2, e = extent.get();
        if (side <= 0 || e <= 0) return;
        double scale = side / (2 * e);
        g.setStroke(style.grid());
        g.setLineWidth(1);
        g.strokeRect(ox + 0.5, oy + 0.5, side - 1, side - 1);
        for (int k = (int) Math.ceil(-e); k <= Math.floor(e); k++) { // unit grid
            double p = k * scale;
            g.setGlobalAlpha(k == 0 ? 1 : 0.45);
            g.strokeLine(ox + side / 2 + p, oy, ox + side / 2 + p, oy + side);
            g.strokeLine(ox, oy + side / 2 - p, ox + side, oy + side / 2 - p);
        }
        g.setGlobalAlpha(1);
        double r = Math.max(1.2, side / 320);
        dots(g, reference.get(), style.foreground().deriveColor(0, 1, 1, 0.16), r, ox, oy, side, scale);
        dots(g, points.get(), style.series(colour.get()).deriveColor(0, 1, 1, 0.75), r, ox, oy, side, scale);
        g.setLineWidth(style.lineWidth());
        Color pathColour = style.foreground();
        for (float[] path : paths.get()) {
            if (path.length < 4) continue;
            g.setStroke(pathColour.deriveColor(0, 1, 1, 0.8));
            g.beginPath();
            g.moveTo(ox + side / 2 + path[0] * scale, oy + side / 2 - path[1] * scale);
            for (int i = 2; i + 1 < path.length; i += 2) g.lineTo(ox + side / 2 + path[i] * scale, oy + side / 2 - path[i + 1] * scale);
            g.stroke();
            int last = path.length - 2;
            g.setFill(pathColour);
            g.fillOval(ox + side / 2 + path[last] * scale - 2 * r, oy + side / 2 - path[last + 1] * scale - 2 * r, 4 * r, 4 * r);
        }
        rendered++;
    }

    private static void dots(GraphicsContext g, float[] xy, Color c, double r, double ox, double oy, double side, double scale) {
        if (xy == null) return;
        g.setFill(c);
        double cx = ox + side / 2, cy = oy + side / 2;
        for (int i = 0; i + 1 < xy.length; i += 2) {
            double x = cx + xy[i] * scale, y = cy - xy[i + 1] * scale;
            if (x >= ox && x <= ox + side && y >= oy && y <= oy + side) g.fillOval(x - r, y - r, 2 * r, 2 * r);
        }
    }

    @Override
    protected void layoutChildren() {
        double x = snappedLeftInset(), y = snappedTopInset();
        canvas.relocate(x, y);
        canvas.setWidth(Math.max(1, getWidth() - x - snappedRightInset()));
        canvas.setHeight(Math.max(1, getHeight() - y - snappedBottomInset()));
        render();
    }

    @Override protected double computePrefWidth(double height) { return 360; }
    @Override protected double computePrefHeight(double width) { return 360; }
    @Override protected double computeMinWidth(double height) { return 120; }
    @Override protected double computeMinHeight(double width) { return 120; }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() { return ChartStyle.CSS; }

    @Override public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() { return ChartStyle.CSS; }
}
