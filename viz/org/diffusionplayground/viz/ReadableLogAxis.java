package org.diffusionplayground.viz;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis that stays readable over a narrow range. JFreeChart's {@link LogAxis}
 * labels whole decades only, so an NFE axis from 5 to 40 showed a single label, "10¹". Over less
 * than {@link #NARROW} decades this axis labels 1, 2 and 5 times every power of ten in range, as
 * plain numbers (5, 10, 20); over a wider range, the decades as before.
 */
final class ReadableLogAxis extends LogAxis {

    /** Ranges spanning fewer decades than this get 1-2-5 ticks. */
    static final double NARROW = 2;

    ReadableLogAxis(String label) {
        super(label);
        setBase(10);
        setSmallestValue(1e-12);
        setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // whole decades
        setMinorTickMarksVisible(false);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        List decades = super.refreshTicksHorizontal(g2, dataArea, edge);
        return narrow() ? steps(edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER) : decades;
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        List decades = super.refreshTicksVertical(g2, dataArea, edge);
        return narrow() ? steps(edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT) : decades;
    }

    private boolean narrow() {
        double lo = getLowerBound(), hi = getUpperBound();
        return lo > 0 && hi > lo && Math.log10(hi / lo) < NARROW;
    }

    /** Ticks at 1, 2 and 5 × 10^k within the range, labelled as plain numbers. */
    private List<LogTick> steps(TextAnchor anchor) {
        double lo = getLowerBound(), hi = getUpperBound();
        List<LogTick> ticks = new ArrayList<>();
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    ticks.add(new LogTick(TickType.MAJOR, v, new AttributedString(label(v)), anchor));
                }
            }
        }
        return ticks;
    }

    /** 5, 20, 0.5, 0.02, 2e-05: whole numbers as integers, the rest with up to three digits. */
    static String label(double v) {
        if (v >= 1 && v < 1e7 && v == Math.rint(v)) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+(e|$)", "$1");
    }
}
