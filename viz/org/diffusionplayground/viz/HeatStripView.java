package org.diffusionplayground.viz;

import javafx.beans.Observable;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * One value in [0, 1] per position as a strip of coloured cells, wrapped at {@link #columnsProperty()}
 * like the text it describes: dark violet for 0, through magenta, to yellow for 1 (a perceptual
 * ramp in the manner of matplotlib's "magma"); NaN cells (no value yet) are left grey.
 * The text page draws the order in which positions were revealed with it.
 */
public class HeatStripView extends Region {

    private static final Color[] RAMP = {Color.web("#2d1160"), Color.web("#8c2981"), Color.web("#de4968"), Color.web("#fe9f6d"),
            Color.web("#fcfdbf")};
    private static final Color NONE = Color.web("#3b4357");

    private final ObjectProperty<double[]> values = new SimpleObjectProperty<>(this, "values");
    private final IntegerProperty columns = new SimpleIntegerProperty(this, "columns", 64);
    private final Canvas canvas = new Canvas();

    public HeatStripView() {
        getStyleClass().add(StyleClasses.HEAT_STRIP);
        getChildren().add(canvas);
        for (Observable p : new Observable[] {values, columns}) p.addListener(o -> render());
    }

    public ObjectProperty<double[]> valuesProperty() { return values; }
    public IntegerProperty columnsProperty() { return columns; }

    /** The ramp's colour at v ∈ [0, 1] (clamped). */
    public static Color colour(double v) {
        if (!Double.isFinite(v)) return NONE;
        double x = Math.max(0, Math.min(1, v)) * (RAMP.length - 1);
        int k = Math.min(RAMP.length - 2, (int) x);
        return RAMP[k].interpolate(RAMP[k + 1], x - k);
    }

    public void render() {
        double w = getWidth() - snappedLeftInset() - snappedRightInset(), h = getHeight() - snappedTopInset() - snappedBottomInset();
        canvas.setWidth(Math.max(0, w));
        canvas.setHeight(Math.max(0, h));
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        double[] v = values.get();
        if (v == null || v.length == 0 || w <= 0 || h <= 0) return;
        int cols = Math.max(1, Math.min(columns.get(), v.length)), rows = (v.length + cols - 1) / cols;
        double cw = w / cols, ch = h / rows;
        for (int i = 0; i < v.length; i++) {
            g.setFill(colour(v[i]));
            g.fillRect((i % cols) * cw, (i / cols) * ch, Math.ceil(cw), Math.ceil(ch));
        }
    }

    @Override protected void layoutChildren() { render(); }
    @Override protected double computePrefWidth(double height) { return 640; }
    @Override protected double computePrefHeight(double width) { return 28; }
    @Override protected double computeMinWidth(double height) { return 100; }
    @Override protected double computeMinHeight(double width) { return 12; }
}
