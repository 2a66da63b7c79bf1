package org.diffusionplayground.viz;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.event.ChartProgressEvent;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line chart of {@link Curve}s on a linear or logarithmic y axis (JFreeChart drawn on a JavaFX
 * canvas), with a vertical cursor and a hover read-out drawn as JavaFX nodes on top so moving
 * them never redraws the chart. Colours and font size come from the stylesheet via
 * {@link ChartStyle}.
 */
public class CurveChart extends Region implements ChartStyle.Owner {

    private final ObjectProperty<List<Curve>> curves = new SimpleObjectProperty<>(this, "curves", List.of());
    private final BooleanProperty logY = new SimpleBooleanProperty(this, "logY");
    private final BooleanProperty logX = new SimpleBooleanProperty(this, "logX");
    private final StringProperty xLabel = new SimpleStringProperty(this, "xLabel", "");
    private final StringProperty yLabel = new SimpleStringProperty(this, "yLabel", "");
    private final DoubleProperty marker = new SimpleDoubleProperty(this, "marker", Double.NaN);
    private final ReadOnlyStringWrapper hoverText = new ReadOnlyStringWrapper(this, "hoverText", "");
    private final ChartStyle style = new ChartStyle(this);
    private boolean restyled;

    private final XYSeriesCollection lines = new XYSeriesCollection();
    private final XYSeriesCollection markers = new XYSeriesCollection();
    private final XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
    private final XYLineAndShapeRenderer markerRenderer = new XYLineAndShapeRenderer(false, true);
    private final XYPlot plot;
    private final JFreeChart chart;
    private final ChartCanvas canvas;

    private final Pane overlay = new Pane();
    private final Line cursorLine = new Line();
    private final Line hoverLine = new Line();
    private final Label hoverLabel = new Label();
    private final List<Circle> hoverDots = new ArrayList<>();
    private double hoverX = Double.NaN;

    public CurveChart() {
        getStyleClass().add(StyleClasses.CURVE_CHART);
        plot = new XYPlot(lines, new NumberAxis(), new NumberAxis(), lineRenderer);
        plot.setDataset(1, markers);
        plot.setRenderer(1, markerRenderer);
        plot.setOutlineVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(6, 4, 4, 10));
        canvas = new ChartCanvas(chart);
        canvas.setDomainZoomable(false);
        canvas.setRangeZoomable(false);
        canvas.setTooltipEnabled(false);
        canvas.removeMouseHandler(canvas.getMouseHandler("pan"));
        canvas.removeAuxiliaryMouseHandler(canvas.getMouseHandler("scroll"));
        chart.addProgressListener(e -> {
            if (e.getType() == ChartProgressEvent.DRAWING_FINISHED) placeOverlay();
        });

        cursorLine.getStyleClass().add("cursor-line");
        hoverLine.getStyleClass().add("hover-line");
        hoverLabel.getStyleClass().add("hover-label");
        overlay.setMouseTransparent(true);
        overlay.getChildren().addAll(cursorLine, hoverLine, hoverLabel);
        overlay.setManaged(false);
        getChildren().addAll(canvas, overlay);

        setOnMouseMoved(e -> hover(e.getX()));
        setOnMouseExited(e -> hover(Double.NaN));
        for (Observable p : new Observable[] {curves, logY, logX, xLabel, yLabel}) p.addListener(o -> render());
        marker.addListener(o -> placeOverlay());
        style.addListener(() -> {
            restyled = true;
            requestLayout();
        });
        render();
    }

    public ObjectProperty<List<Curve>> curvesProperty() { return curves; }
    public BooleanProperty logYProperty() { return logY; }
    public BooleanProperty logXProperty() { return logX; }
    public StringProperty xLabelProperty() { return xLabel; }
    public StringProperty yLabelProperty() { return yLabel; }
    public void setXLabel(String label) { xLabel.set(label); }
    public void setYLabel(String label) { yLabel.set(label); }
    /** x of the vertical marker line (the cursor at t); NaN hides it. */
    public DoubleProperty markerProperty() { return marker; }
    /** What the hover read-out shows ("" when the mouse is not over the plot). */
    public ReadOnlyStringProperty hoverTextProperty() { return hoverText.getReadOnlyProperty(); }

    /** Rebuilds the datasets, axes and colours from the properties and redraws. */
    public void render() {
        chart.setNotify(false);
        try {
            boolean log = logY.get();
            plot.setRangeAxis(axis(yLabel.get(), log));
            plot.setDomainAxis(axis(xLabel.get(), logX.get()));
            lines.removeAllSeries();
            markers.removeAllSeries();
            int k = 0;
            for (Curve c : curves.get()) {
                lines.addSeries(series(c.name() + "#" + k, c.x(), c.y(), logX.get(), log));
                markers.addSeries(series(c.name() + "#m" + k, c.markerX(), c.markerY(), logX.get(), log));
                java.awt.Paint paint = ChartStyle.awt(style.series(c.colour()));
                lineRenderer.setSeriesPaint(k, paint);
                lineRenderer.setSeriesStroke(k, new BasicStroke((float) style.lineWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                markerRenderer.setSeriesPaint(k, paint);
                double r = style.lineWidth() * 1.7;
                markerRenderer.setSeriesShape(k, new Ellipse2D.Double(-r, -r, 2 * r, 2 * r));
                k++;
            }
            applyColours();
        } finally {
            chart.setNotify(true); // redraws
        }
    }

    private static ValueAxis axis(String label, boolean log) {
        if (!log) {
            NumberAxis axis = new NumberAxis(label);
            axis.setAutoRangeIncludesZero(false);
            return axis;
        }
        return new ReadableLogAxis(label);
    }

    private static XYSeries series(String key, double[] x, double[] y, boolean logX, boolean logY) {
        XYSeries s = new XYSeries(key, false, true);
        for (int i = 0; i < x.length; i++) {
            boolean finite = Double.isFinite(x[i]) && Double.isFinite(y[i]);
            if (finite && (!logX || x[i] > 0) && (!logY || y[i] > 0)) s.add(x[i], y[i], false);
        }
        return s;
    }

    private void applyColours() {
        java.awt.Color bg = ChartStyle.awt(style.background()), fg = ChartStyle.awt(style.foreground());
        java.awt.Color grid = ChartStyle.awt(style.grid());
        chart.setBackgroundPaint(bg);
        plot.setBackgroundPaint(bg);
        plot.setDomainGridlinePaint(grid);
        plot.setRangeGridlinePaint(grid);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        Font tick = new Font("SansSerif", Font.PLAIN, (int) Math.round(style.fontSize() * 0.85));
        Font label = new Font("SansSerif", Font.PLAIN, (int) Math.round(style.fontSize()));
        for (ValueAxis axis : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setTickLabelFont(tick);
            axis.setLabelFont(label);
            axis.setTickLabelPaint(fg);
            axis.setLabelPaint(fg);
            axis.setAxisLinePaint(grid);
            axis.setTickMarkPaint(grid);
        }
    }

    /** Writes the chart, as currently styled, to a PNG of the given size (no title, no legend). */
    public void exportPng(File file, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(file, chart, width, height);
    }

    /**
     * Writes the chart to a PNG of the given size with {@code title} above it, {@code subtitle}
     * (e.g. the settings it shows) under that, and a legend of every curve's name and colour
     * below it, so the file explains itself away from the app. Null or blank parts are left out.
     * The chart on screen is unchanged.
     */
    public void exportPng(File file, int width, int height, String title, String subtitle) throws IOException {
        List<Title> added = new ArrayList<>();
        if (title != null && !title.isBlank()) added.add(text(title, Font.BOLD, 1.25));
        if (subtitle != null && !subtitle.isBlank()) added.add(text(subtitle, Font.PLAIN, 0.95));
        if (!curves.get().isEmpty()) added.add(legend());
        chart.setNotify(false);
        try {
            added.forEach(chart::addSubtitle);
            ChartUtils.saveChartAsPNG(file, chart, width, height);
        } finally {
            added.forEach(chart::removeSubtitle);
            chart.setNotify(true);
        }
    }

    /**
     * Writes the chart as a standalone SVG of the given size, with the same title, subtitle and
     * legend as {@link #exportPng(File, int, int, String, String)}: dark text on white whatever the
     * theme, the curves in their palette colours.
     */
    public void exportSvg(File file, int width, int height, String title, String subtitle) throws IOException {
        var look = new SvgChart.Look(title, subtitle, xLabel.get(), yLabel.get(), logX.get(), logY.get(),
                i -> web(style.series(i)), "#333333", "#dddddd");
        java.nio.file.Files.writeString(file.toPath(), SvgChart.write(curves.get(), look, width, height));
    }

    private static String web(javafx.scene.paint.Color c) {
        return String.format(java.util.Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    private TextTitle text(String text, int weight, double scale) {
        TextTitle t = new TextTitle(text, new Font("SansSerif", weight, (int) Math.round(style.fontSize() * scale)));
        t.setPaint(ChartStyle.awt(style.foreground()));
        t.setPadding(new RectangleInsets(4, 4, 2, 4));
        return t;
    }

    /** One entry per curve, a short line in its colour and its name, under the plot. */
    private LegendTitle legend() {
        LegendItemCollection items = new LegendItemCollection();
        for (Curve c : curves.get()) {
            items.add(new LegendItem(c.name(), null, null, null, new Line2D.Double(-9, 0, 9, 0),
                    new BasicStroke((float) style.lineWidth() * 1.5f), ChartStyle.awt(style.series(c.colour()))));
        }
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(new Font("SansSerif", Font.PLAIN, (int) Math.round(style.fontSize())));
        legend.setItemPaint(ChartStyle.awt(style.foreground()));
        legend.setBackgroundPaint(ChartStyle.awt(style.background()));
        legend.setFrame(BlockBorder.NONE);
        legend.setPadding(new RectangleInsets(6, 4, 2, 4));
        return legend;
    }

    private void hover(double mouseX) {
        Rectangle2D area = dataArea();
        if (Double.isNaN(mouseX) || area == null || mouseX < area.getMinX() || mouseX > area.getMaxX()) {
            hoverX = Double.NaN;
            hoverText.set("");
        } else {
            hoverX = plot.getDomainAxis().java2DToValue(mouseX, area, RectangleEdge.BOTTOM);
            StringBuilder text = new StringBuilder(xLabel.get().isEmpty() ? "x" : xLabel.get())
                    .append(" = ").append(format(hoverX));
            for (Curve c : curves.get()) text.append('\n').append(c.name()).append(": ").append(format(c.valueAt(hoverX)));
            hoverText.set(text.toString());
        }
        placeOverlay();
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "—";
        if (Double.isInfinite(v)) return v > 0 ? "+∞" : "−∞";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private Rectangle2D dataArea() {
        var info = canvas.getRenderingInfo();
        return info == null ? null : info.getPlotInfo().getDataArea();
    }

    /** Positions cursor and hover nodes in the canvas's pixel space. */
    private void placeOverlay() {
        Rectangle2D area = dataArea();
        boolean ready = area != null && area.getWidth() > 0;
        double c = marker.get();
        cursorLine.setVisible(ready && Double.isFinite(c));
        if (cursorLine.isVisible()) vertical(cursorLine, plot.getDomainAxis().valueToJava2D(c, area, RectangleEdge.BOTTOM), area);
        boolean hovering = ready && !Double.isNaN(hoverX);
        hoverLine.setVisible(hovering);
        hoverLabel.setVisible(hovering);
        overlay.getChildren().removeAll(hoverDots);
        hoverDots.clear();
        if (!hovering) return;
        double px = plot.getDomainAxis().valueToJava2D(hoverX, area, RectangleEdge.BOTTOM);
        vertical(hoverLine, px, area);
        for (Curve curve : curves.get()) {
            double y = curve.valueAt(hoverX);
            if (!Double.isFinite(y) || (logY.get() && y <= 0)) continue;
            double py = plot.getRangeAxis().valueToJava2D(y, area, RectangleEdge.LEFT);
            if (py < area.getMinY() || py > area.getMaxY()) continue;
            Circle dot = new Circle(px, py, style.lineWidth() * 2.5, style.series(curve.colour()));
            dot.getStyleClass().add("hover-dot");
            hoverDots.add(dot);
        }
        overlay.getChildren().addAll(hoverDots);
        hoverLabel.setText(hoverText.get());
        hoverLabel.autosize();
        double lx = px + 12 + hoverLabel.getWidth() > area.getMaxX() ? px - 12 - hoverLabel.getWidth() : px + 12;
        hoverLabel.relocate(Math.max(area.getMinX(), lx), area.getMinY() + 6);
        hoverLabel.toFront();
    }

    private static void vertical(Line line, double x, Rectangle2D area) {
        double sx = Math.round(x) + 0.5;
        line.setStartX(sx);
        line.setEndX(sx);
        line.setStartY(area.getMinY());
        line.setEndY(area.getMaxY());
    }

    @Override public ChartStyle chartStyle() { return style; }

    @Override
    protected void layoutChildren() {
        if (restyled) {
            restyled = false;
            render();
        }
        double x = snappedLeftInset(), y = snappedTopInset();
        double w = Math.max(1, getWidth() - x - snappedRightInset()), h = Math.max(1, getHeight() - y - snappedBottomInset());
        canvas.relocate(x, y);
        overlay.relocate(x, y);
        overlay.resize(w, h);
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h); // ChartCanvas redraws on resize, then placeOverlay() runs
        }
    }

    @Override protected double computePrefWidth(double height) { return 360; }
    @Override protected double computePrefHeight(double width) { return 220; }
    @Override protected double computeMinWidth(double height) { return 120; }
    @Override protected double computeMinHeight(double width) { return 90; }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() { return ChartStyle.CSS; }

    @Override public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() { return ChartStyle.CSS; }
}
