package org.diffusionplayground.viz;

import javafx.beans.Observable;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Text as a fixed-width grid of characters, each cell coloured by its {@link State}: the token
 * theatre of the text page. Draws a {@link Cells} value (plain arrays) on a dark card of its own,
 * so the colours read the same in the light and the dark theme; reports the cell under the mouse
 * in {@link #hoveredProperty()} (−1 for none).
 */
public class CharacterGridView extends Region {

    /** What a cell shows. */
    public enum State {
        /** A clean character (the forward page's uncorrupted text). */
        CLEAN(Color.web("#2f3646"), Color.web("#e8ecf4")),
        /** The absorbing state [M]. */
        MASKED(Color.web("#3b4357"), Color.web("#7d869b")),
        /** Revealed by the step shown. */
        NEW(Color.web("#ffb13b"), Color.web("#1b1f27")),
        /** Revealed by an earlier step; the fill's strength is the model's confidence then. */
        EARLIER(Color.web("#4f7dff"), Color.web("#f4f6fb")),
        /** Changed by the step shown (uniform process, remasking), or corrupted by the forward process. */
        CHANGED(Color.web("#f2557f"), Color.web("#1b1f27")),
        /** Given by the user (a prompt or a template's typed characters); never sampled. */
        GIVEN(Color.web("#2c7a52"), Color.web("#f4f6fb"));

        public final Color fill;
        public final Color text;

        State(Color fill, Color text) {
            this.fill = fill;
            this.text = text;
        }
    }

    /**
     * What to draw: per position its character, state and shade in [0, 1] (the strength of an
     * {@link State#EARLIER} fill; ignored for the other states). Arrays owned by the record.
     */
    public record Cells(char[] characters, State[] states, float[] shade) {
        public Cells {
            if (characters.length != states.length || characters.length != shade.length) throw new IllegalArgumentException(
                    "%d characters, %d states and %d shades must be as many".formatted(characters.length, states.length, shade.length));
        }

        public int size() { return characters.length; }
    }

    private final ObjectProperty<Cells> cells = new SimpleObjectProperty<>(this, "cells");
    private final IntegerProperty columns = new SimpleIntegerProperty(this, "columns", 64);
    private final ReadOnlyIntegerWrapper hovered = new ReadOnlyIntegerWrapper(this, "hovered", -1);
    private final ReadOnlyIntegerWrapper shownColumns = new ReadOnlyIntegerWrapper(this, "shownColumns", 64);
    private final Canvas canvas = new Canvas();
    private double cell, x0, y0;

    public CharacterGridView() {
        getStyleClass().add(StyleClasses.CHARACTER_GRID);
        getChildren().add(canvas);
        for (Observable p : new Observable[] {cells, columns, hovered}) p.addListener(o -> render());
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> hovered.set(indexAt(e.getX(), e.getY())));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> hovered.set(-1));
    }

    public ObjectProperty<Cells> cellsProperty() { return cells; }
    /** Characters per row. */
    public IntegerProperty columnsProperty() { return columns; }
    /** The row length drawn (at most {@link #columnsProperty()}; fewer where that draws the characters larger). */
    public ReadOnlyIntegerProperty shownColumnsProperty() { return shownColumns.getReadOnlyProperty(); }
    /** The position under the mouse, −1 when none. */
    public ReadOnlyIntegerProperty hoveredProperty() { return hovered.getReadOnlyProperty(); }

    /** The position drawn at (x, y) in this region's coordinates, or −1. */
    public int indexAt(double x, double y) {
        Cells c = cells.get();
        if (c == null || cell <= 0) return -1;
        int col = (int) Math.floor((x - x0) / cell), row = (int) Math.floor((y - y0) / (cell * ASPECT));
        int cols = cols(c);
        if (col < 0 || col >= cols || row < 0) return -1;
        int i = row * cols + col;
        return i < c.size() ? i : -1;
    }

    /** A cell's height over its width: a monospaced character's. */
    private static final double ASPECT = 1.6;

    /**
     * The row length that draws the characters largest in this region: the most characters a row
     * {@link #columnsProperty()} allows, fewer (down to a quarter of it) where the region is tall
     * enough that shorter rows give bigger cells.
     */
    private int cols(Cells c) {
        int most = Math.max(1, Math.min(columns.get(), c.size()));
        double w = getWidth() - snappedLeftInset() - snappedRightInset(), h = getHeight() - snappedTopInset() - snappedBottomInset();
        int best = most;
        double bestCell = 0;
        for (int n = most; n >= Math.max(1, most / 4); n--) {
            int rows = (c.size() + n - 1) / n;
            double side = Math.min(w / n, h / (rows * ASPECT));
            if (side > bestCell * 1.0001) {
                bestCell = side;
                best = n;
            }
        }
        return best;
    }

    /** Redraws every cell. */
    public void render() {
        double w = getWidth() - snappedLeftInset() - snappedRightInset(), h = getHeight() - snappedTopInset() - snappedBottomInset();
        canvas.setWidth(Math.max(0, w));
        canvas.setHeight(Math.max(0, h));
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        Cells c = cells.get();
        if (c == null || c.size() == 0 || w <= 0 || h <= 0) return;
        int cols = cols(c), rows = (c.size() + cols - 1) / cols;
        shownColumns.set(cols);
        cell = Math.min(w / cols, h / (rows * ASPECT));
        x0 = snappedLeftInset() + (w - cols * cell) / 2;
        y0 = snappedTopInset() + (h - rows * cell * ASPECT) / 2;
        double ch = cell * ASPECT, pad = Math.max(0.5, cell * 0.06);
        g.setFont(Font.font("Monospaced", FontWeight.BOLD, Math.max(4, cell * 1.15)));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        double ox = x0 - snappedLeftInset(), oy = y0 - snappedTopInset();
        for (int i = 0; i < c.size(); i++) {
            double x = ox + (i % cols) * cell, y = oy + (i / cols) * ch;
            State s = c.states()[i];
            double alpha = s == State.EARLIER ? 0.3 + 0.7 * clamp01(c.shade()[i]) : 1;
            g.setFill(s.fill.deriveColor(0, 1, 1, alpha));
            g.fillRect(x + pad / 2, y + pad / 2, cell - pad, ch - pad);
            if (s == State.MASKED) {
                g.setFill(s.text);
                double side = cell * 0.36;
                g.fillRect(x + (cell - side) / 2, y + (ch - side) / 2, side, side);
            } else {
                g.setFill(s.text);
                g.fillText(String.valueOf(shown(c.characters()[i])), x + cell / 2, y + ch / 2);
            }
            if (i == hovered.get()) {
                g.setStroke(Color.WHITE);
                g.setLineWidth(Math.max(1, pad));
                g.strokeRect(x + pad / 2, y + pad / 2, cell - pad, ch - pad);
            }
        }
    }

    /** Line breaks and tabs drawn as visible glyphs so the grid stays one character a cell. */
    static char shown(char c) {
        return switch (c) {
            case '\n' -> '¶';
            case '\t' -> '→';
            default -> c;
        };
    }

    private static double clamp01(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }

    @Override protected void layoutChildren() { render(); }
    @Override protected double computePrefWidth(double height) { return 640; }
    @Override protected double computePrefHeight(double width) { return 200; }
    @Override protected double computeMinWidth(double height) { return 200; }
    @Override protected double computeMinHeight(double width) { return 80; }
}
