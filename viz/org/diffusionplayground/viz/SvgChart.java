package org.diffusionplayground.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A chart of {@link Curve}s as a standalone SVG document (vector, for slides and papers): axes with
 * ticks (decades on a log axis), the curves as polylines with their markers, a title, a subtitle
 * and a legend. Written from the same plain data the {@link CurveChart} draws.
 */
public final class SvgChart {

    /** What the chart shows besides its curves; colours as CSS colours ("#3b6fd8"). */
    public record Look(String title, String subtitle, String xLabel, String yLabel, boolean logX, boolean logY,
                       IntFunction<String> series, String foreground, String grid) {
    }

    /** A tick label "10^k", drawn as 10 with a raised k (every SVG renderer has the digits; not every font has ⁻). */
    private static final String POWER = "10^";
    private static final int LEFT = 70, RIGHT = 20, TOP = 58, BOTTOM = 70;

    private SvgChart() {
    }

    public static String write(List<Curve> curves, Look look, int width, int height) {
        double[] xr = range(curves, true, look.logX()), yr = range(curves, false, look.logY());
        Axis x = new Axis(xr[0], xr[1], look.logX(), LEFT, width - RIGHT);
        Axis y = new Axis(yr[0], yr[1], look.logY(), height - BOTTOM, TOP);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"13\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height, width, height));
        text(s, width / 2.0, 22, look.title(), "middle", 16, "bold", look.foreground());
        text(s, width / 2.0, 42, look.subtitle(), "middle", 12, "normal", look.foreground());
        for (double v : x.ticks()) {
            double px = x.map(v);
            s.append(line(px, TOP, px, height - BOTTOM, look.grid()));
            text(s, px, height - BOTTOM + 18, label(v, look.logX()), "middle", 12, "normal", look.foreground());
        }
        for (double v : y.ticks()) {
            double py = y.map(v);
            s.append(line(LEFT, py, width - RIGHT, py, look.grid()));
            text(s, LEFT - 6, py + 4, label(v, look.logY()), "end", 12, "normal", look.foreground());
        }
        s.append(line(LEFT, height - BOTTOM, width - RIGHT, height - BOTTOM, look.foreground()));
        s.append(line(LEFT, TOP, LEFT, height - BOTTOM, look.foreground()));
        text(s, (LEFT + width - RIGHT) / 2.0, height - BOTTOM + 38, look.xLabel(), "middle", 13, "normal", look.foreground());
        if (look.yLabel() != null && !look.yLabel().isBlank()) {
            s.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%.1f) rotate(-90)\" text-anchor=\"middle\" fill=\"%s\">%s</text>%n",
                    (TOP + height - BOTTOM) / 2.0, look.foreground(), escape(look.yLabel())));
        }
        double legendX = LEFT;
        for (Curve c : curves) {
            String colour = look.series().apply(c.colour());
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
            for (int i = 0; i < c.x().length; i++) {
                if (x.drawable(c.x()[i]) && y.drawable(c.y()[i])) {
                    s.append(String.format(Locale.ROOT, "%.2f,%.2f ", x.map(c.x()[i]), y.map(c.y()[i])));
                }
            }
            s.append("\"/>\n");
            for (int i = 0; i < c.markerX().length; i++) {
                if (!x.drawable(c.markerX()[i]) || !y.drawable(c.markerY()[i])) continue;
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\" fill=\"%s\"/>%n",
                        x.map(c.markerX()[i]), y.map(c.markerY()[i]), colour));
            }
            s.append(line(legendX, height - 14, legendX + 18, height - 14, colour).replace("stroke-width=\"1\"", "stroke-width=\"3\""));
            text(s, legendX + 24, height - 10, c.name(), "start", 12, "normal", look.foreground());
            legendX += 40 + 7.5 * c.name().length();
        }
        return s.append("</svg>\n").toString();
    }

    /** One axis: a linear or log map of [lo, hi] onto pixels [from, to] and its ticks. */
    private record Axis(double lo, double hi, boolean log, double from, double to) {

        double map(double v) {
            double a = log ? Math.log10(lo) : lo, b = log ? Math.log10(hi) : hi, u = log ? Math.log10(v) : v;
            return from + (u - a) / (b - a) * (to - from);
        }

        boolean drawable(double v) { return Double.isFinite(v) && (!log || v > 0) && v >= lo && v <= hi; }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                for (double e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.log10(hi) + 1e-9; e++) t.add(Math.pow(10, e));
                return t;
            }
            double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
            for (double m : new double[] {1, 2, 5, 10}) if (raw <= m * mag) { step = m * mag; break; }
            for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            return t;
        }
    }

    /** The finite data range of x or y over every curve and marker (positive values only on a log axis). */
    static double[] range(List<Curve> curves, boolean xs, boolean log) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (double[] values : xs ? new double[][] {c.x(), c.markerX()} : new double[][] {c.y(), c.markerY()}) {
                for (double v : values) {
                    if (!Double.isFinite(v) || (log && v <= 0)) continue;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) return new double[] {log ? 1 : 0, log ? 10 : 1};
        if (lo == hi) return log ? new double[] {lo / 10, hi * 10} : new double[] {lo - 1, hi + 1};
        return new double[] {lo, hi};
    }

    private static String label(double v, boolean log) {
        if (log) return POWER + Math.round(Math.log10(v));
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"1\"/>%n",
                x1, y1, x2, y2, colour);
    }

    private static void text(StringBuilder s, double x, double y, String text, String anchor, int size, String weight, String colour) {
        if (text == null || text.isBlank()) return;
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\" fill=\"%s\">%s</text>%n",
                x, y, anchor, size, weight, colour, text.startsWith(POWER)
                        ? "10<tspan dy=\"-6\" font-size=\"%d\">%s</tspan>".formatted(size - 3, escape(text.substring(POWER.length())))
                        : escape(text)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
