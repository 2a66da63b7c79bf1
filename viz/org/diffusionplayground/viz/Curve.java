package org.diffusionplayground.viz;

import java.util.Objects;

/**
 * One named curve y(x) for a {@link CurveChart}, with optional markers (points drawn on top, e.g.
 * the sampling timesteps). {@code colour} indexes the chart's palette so a curve keeps its colour
 * from chart to chart. Non-finite points are skipped when drawn (and non-positive ones on a log
 * axis). The arrays are owned by the record: do not modify them.
 */
public record Curve(String name, int colour, double[] x, double[] y, double[] markerX, double[] markerY) {

    private static final double[] NONE = new double[0];

    public Curve {
        Objects.requireNonNull(name, "name");
        if (colour < 0) throw new IllegalArgumentException("colour (%d) must be ≥ 0".formatted(colour));
        if (x.length != y.length) {
            throw new IllegalArgumentException("curve '%s': %d x values but %d y values".formatted(name, x.length, y.length));
        }
        if (markerX.length != markerY.length) {
            throw new IllegalArgumentException("curve '%s': %d marker x values but %d marker y values"
                    .formatted(name, markerX.length, markerY.length));
        }
    }

    public Curve(String name, int colour, double[] x, double[] y) {
        this(name, colour, x, y, NONE, NONE);
    }

    /** y at {@code at} by linear interpolation between neighbouring points; NaN outside the curve. */
    public double valueAt(double at) {
        for (int i = 1; i < x.length; i++) {
            double a = x[i - 1], b = x[i];
            if ((at >= a && at <= b) || (at <= a && at >= b)) {
                if (a == b) return y[i];
                double w = (at - a) / (b - a);
                return y[i - 1] + w * (y[i] - y[i - 1]);
            }
        }
        return x.length == 1 && x[0] == at ? y[0] : Double.NaN;
    }
}
