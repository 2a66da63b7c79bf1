package org.diffusionplayground.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

class ReadableLogAxisTest {

    private static List<Double> tickValues(double lo, double hi, RectangleEdge edge) {
        ReadableLogAxis axis = new ReadableLogAxis("NFE");
        axis.setRange(lo, hi);
        Graphics2D g2 = new BufferedImage(600, 400, BufferedImage.TYPE_INT_ARGB).createGraphics();
        List<?> ticks = axis.refreshTicks(g2, new AxisState(), new Rectangle2D.Double(0, 0, 600, 400), edge);
        return ticks.stream().map(t -> (ValueTick) t).filter(t -> t.getTickType() == TickType.MAJOR)
                .map(ValueTick::getValue).toList();
    }

    @Test
    void aNarrowRangeGetsOneTwoFiveTicksLabelledAsPlainNumbers() {
        assertEquals(List.of(5.0, 10.0, 20.0), tickValues(4, 45, RectangleEdge.BOTTOM));
        assertEquals(List.of(0.02, 0.05, 0.1, 0.2), tickValues(0.015, 0.3, RectangleEdge.LEFT));
        ReadableLogAxis axis = new ReadableLogAxis("x");
        axis.setRange(4, 45);
        Graphics2D g2 = new BufferedImage(600, 400, BufferedImage.TYPE_INT_ARGB).createGraphics();
        LogTick first = (LogTick) axis.refreshTicks(g2, new AxisState(), new Rectangle2D.Double(0, 0, 600, 400),
                RectangleEdge.BOTTOM).get(0);
        assertEquals("5", text(first));
    }

    @Test
    void aWideRangeKeepsWholeDecades() {
        assertEquals(List.of(1e-3, 1e-2, 1e-1, 1.0, 10.0), tickValues(9e-4, 20, RectangleEdge.LEFT).stream()
                .filter(v -> v >= 9e-4 && v <= 20).toList());
    }

    @Test
    void labelsDropTrailingZeros() {
        assertEquals("20", ReadableLogAxis.label(20));
        assertEquals("0.5", ReadableLogAxis.label(0.5));
        assertEquals("0.02", ReadableLogAxis.label(0.02));
        assertEquals("2e-05", ReadableLogAxis.label(2e-5));
    }

    private static String text(LogTick tick) {
        var it = tick.getAttributedLabel().getIterator();
        StringBuilder s = new StringBuilder();
        for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) s.append(c);
        return s.toString();
    }
}
