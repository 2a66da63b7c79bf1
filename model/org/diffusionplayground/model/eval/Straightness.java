package org.diffusionplayground.model.eval;

import java.util.List;
import org.diffusionplayground.model.nn.HeapArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How straight sampling paths are: per path the length of the polyline through its recorded
 * points divided by the chord from its first point to its last (1 for a straight path), and the
 * mean distance of its points from that chord (0 for a straight path); each averaged over the
 * paths. Rectified flow's aim (Liu, Gong &amp; Liu 2023, "Flow straight and fast", §2.2 and eq. 6,
 * whose straightness S(Z) is the velocity's mean squared change along a path) is to drive both
 * towards their straight-line values, where one Euler step is exact. Paths with a chord shorter
 * than 10⁻⁹ are left out of the ratio.
 *
 * @param lengthRatio    mean over paths of (path length ÷ chord)
 * @param chordDeviation mean over paths and recorded points of the distance to the chord segment
 */
public record Straightness(double lengthRatio, double chordDeviation) {

    /**
     * @param path the points of every path at each recorded time, in order: path.get(k) is
     *             [n, 2], row i the i-th path's k-th point; at least two
     */
    public static Straightness of(List<INDArray> path) {
        double[][] p = new double[path.size()][];
        for (int k = 0; k < p.length; k++) p[k] = HeapArrays.doubles(path.get(k));
        return of(p);
    }

    /** As {@link #of(List)} on each recorded time's points interleaved (x, y), as the lab keeps them. */
    public static Straightness of(float[][] path) {
        double[][] p = new double[path.length][];
        for (int k = 0; k < p.length; k++) {
            p[k] = new double[path[k].length];
            for (int j = 0; j < p[k].length; j++) p[k][j] = path[k][j];
        }
        return of(p);
    }

    private static Straightness of(double[][] p) {
        if (p.length < 2) throw new IllegalArgumentException("a path needs at least 2 points, got " + p.length);
        int n = p[0].length / 2, last = p.length - 1, counted = 0;
        double ratioSum = 0, deviationSum = 0;
        for (int i = 0; i < n; i++) {
            int x = 2 * i, y = x + 1;
            double ax = p[0][x], ay = p[0][y], bx = p[last][x], by = p[last][y];
            double chord = norm(bx - ax, by - ay), length = 0;
            for (int k = 1; k <= last; k++) length += norm(p[k][x] - p[k - 1][x], p[k][y] - p[k - 1][y]);
            if (chord > 1e-9) {
                ratioSum += length / chord;
                counted++;
            }
            for (int k = 0; k <= last; k++) deviationSum += distanceToSegment(p[k][x], p[k][y], ax, ay, bx, by);
        }
        return new Straightness(counted == 0 ? Double.NaN : ratioSum / counted, deviationSum / (n * (double) p.length));
    }

    /** √(x² + y²) (Math.hypot guards against overflow these coordinates never reach, at ~10× the cost). */
    private static double norm(double x, double y) {
        return Math.sqrt(x * x + y * y);
    }

    /** Distance from (x, y) to the segment from a to b. */
    static double distanceToSegment(double x, double y, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        double s = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
        return norm(x - (ax + s * dx), y - (ay + s * dy));
    }
}
