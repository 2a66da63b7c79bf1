package org.diffusionplayground.viz;

import java.util.List;
import java.util.Locale;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Histogram of a {@code float[]} as a density over [min, max], with the standard normal density
 * drawn over it for reference (the distribution x_t tends to as t → T) and the data range
 * [−1, 1] shaded. A bar taller than the view (MNIST's background pixels at t = 0) is cut and
 * labelled with its height rather than squashing every other bar.
 */
public class HistogramView extends Region implements ChartStyle.Owner {

    private final ObjectProperty<float[]> values = new SimpleObjectProperty<>(this, "values");
    private final DoubleProperty min = new SimpleDoubleProperty(this, "min", -4);
    private final DoubleProperty max = new SimpleDoubleProperty(this, "max", 4);
    private final IntegerProperty bins = new SimpleIntegerProperty(this, "bins", 64);
    private final BooleanProperty showNormal = new SimpleBooleanProperty(this, "showNormal", true);
    private final ChartStyle style = new ChartStyle(this);
    private final Canvas canvas = new Canvas();
    private double[] density = new double[0];

    public HistogramView() {
        getStyleClass().add(StyleClasses.HISTOGRAM);
        getChildren().add(canvas);
        for (Observable p : new Observable[] {values, min, max, bins, showNormal}) p.addListener(o -> render());
        style.addListener(this::requestLayout);
    }

    public ObjectProperty<float[]> valuesProperty() { return values; }
    public DoubleProperty minProperty() { return min; }
    public DoubleProperty maxProperty() { return max; }
    public IntegerProperty binsProperty() { return bins; }
    public BooleanProperty showNormalProperty() { return showNormal; }
    @Override public ChartStyle chartStyle() { return style; }

    /** Density of each bin at the last render (for tests): count / (N · bin width). */
    public double[] density() { return density.clone(); }

    /** Bins the values and redraws. */
    public void render() {
        int n = Math.max(1, bins.get());
        double lo = min.get(), hi = max.get(), width = (hi - lo) / n;
        float[] v = values.get();
        density = new double[n];
        if (v != null && v.length > 0 && hi > lo) {
            for (float x : v) {
                int b = (int) Math.floor((x - lo) / width);
                if (b >= 0 && b < n) density[b]++;
            }
            for (int b = 0; b < n; b++) density[b] /= v.length * width;
        }
        draw(lo, hi, width);
    }

    private void draw(double lo, double hi, double width) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFill(style.background());
        g.fillRect(0, 0, w, h);
        double fs = style.fontSize() * 0.85;
        double left = 8, right = w - 8, top = fs + 8, bottom = h - fs - 10;
        if (right - left < 10 || bottom - top < 10) return;
        double[] sorted = density.clone();
        java.util.Arrays.sort(sorted);
        double second = sorted.length > 1 ? sorted[sorted.length - 2] : 0;
        double yMax = Math.max(0.5, 1.15 * second);
        java.util.function.DoubleUnaryOperator px = x -> left + (x - lo) / (hi - lo) * (right - left);
        java.util.function.DoubleUnaryOperator py = y -> bottom - Math.min(y, yMax) / yMax * (bottom - top);

        g.setFill(style.grid().deriveColor(0, 1, 1, 0.55)); // the data range [−1, 1]
        g.fillRect(px.applyAsDouble(-1), top, px.applyAsDouble(1) - px.applyAsDouble(-1), bottom - top);
        g.setFont(Font.font(fs));
        g.setFill(style.accent());
        for (int b = 0; b < density.length; b++) {
            if (density[b] <= 0) continue;
            double x0 = px.applyAsDouble(lo + b * width), x1 = px.applyAsDouble(lo + (b + 1) * width);
            double y = py.applyAsDouble(density[b]);
            g.fillRect(x0, y, Math.max(1, x1 - x0 - 1), bottom - y);
            if (density[b] > yMax) { // cut bar: say how tall it really is
                g.setTextAlign(TextAlignment.LEFT);
                g.setTextBaseline(VPos.BOTTOM);
                g.fillText(String.format(Locale.ROOT, "↑ %.1f", density[b]), x1 + 3, top + fs + 2);
            }
        }
        if (showNormal.get()) {
            g.setStroke(style.foreground());
            g.setLineWidth(style.lineWidth() * 0.8);
            g.setLineDashes(5, 4);
            g.beginPath();
            for (int i = 0; i <= 200; i++) {
                double x = lo + (hi - lo) * i / 200, y = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
                if (i == 0) g.moveTo(px.applyAsDouble(x), py.applyAsDouble(y));
                else g.lineTo(px.applyAsDouble(x), py.applyAsDouble(y));
            }
            g.stroke();
            g.setLineDashes();
            g.setFill(style.foreground());
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.TOP);
            g.fillText("- - N(0, 1)", right, 4);
        }
        g.setStroke(style.grid());
        g.setLineWidth(1);
        g.strokeLine(left, bottom + 0.5, right, bottom + 0.5);
        g.setFill(style.foreground());
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (int k = (int) Math.ceil(lo); k <= Math.floor(hi); k++) {
            double x = px.applyAsDouble(k);
            g.strokeLine(x + 0.5, bottom, x + 0.5, bottom + 4);
            g.fillText(k < 0 ? "−" + (-k) : Integer.toString(k), x, bottom + 5);
        }
    }

    @Override
    protected void layoutChildren() {
        double x = snappedLeftInset(), y = snappedTopInset();
        double w = Math.max(1, getWidth() - x - snappedRightInset()), h = Math.max(1, getHeight() - y - snappedBottomInset());
        canvas.relocate(x, y);
        canvas.setWidth(w);
        canvas.setHeight(h);
        render();
    }

    @Override protected double computePrefWidth(double height) { return 320; }
    @Override protected double computePrefHeight(double width) { return 160; }
    @Override protected double computeMinHeight(double width) { return 80; }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() { return ChartStyle.CSS; }

    @Override public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() { return ChartStyle.CSS; }
}
