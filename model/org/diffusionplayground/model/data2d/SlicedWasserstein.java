package org.diffusionplayground.model.data2d;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sliced 2-Wasserstein distance between two 2-D point clouds (Rabin et al. 2011; Bonneel et
 * al. 2015, "Sliced and Radon Wasserstein barycenters of measures", eq. 4):
 * <pre>
 *   SW₂(a, b)² = E_θ[ W₂(θᵀa, θᵀb)² ],   θ uniform on the unit circle
 *   W₂(p, q)²  = ∫₀¹ (F_p⁻¹(u) − F_q⁻¹(u))² du     (1-D: sort and match quantiles)
 * </pre>
 * estimated with {@code projections} random directions. Each 1-D W₂ is exact for the two
 * empirical distributions, whatever their sizes: the quantile functions are step functions, and
 * the integral is summed over the merged breakpoints i/n and j/m. Plain double arrays inside.
 */
public final class SlicedWasserstein {

    private SlicedWasserstein() {
    }

    /**
     * @param a           [n, 2]
     * @param b           [m, 2]
     * @param projections number of random directions, ≥ 1
     * @param seed        seed of the directions (same seed, same directions)
     * @return SW₂, or NaN if either cloud holds a non-finite value (a diverged sampler)
     */
    public static double distance(INDArray a, INDArray b, int projections, long seed) {
        return distance(points(a, "a"), points(b, "b"), projections, seed);
    }

    /** As {@link #distance(INDArray, INDArray, int, long)} on interleaved (x, y) arrays. */
    public static double distance(double[] a, double[] b, int projections, long seed) {
        if (projections < 1) throw new IllegalArgumentException("projections (%d) must be ≥ 1".formatted(projections));
        if (a.length < 2 || b.length < 2 || a.length % 2 != 0 || b.length % 2 != 0) {
            throw new IllegalArgumentException("need at least one 2-D point in each cloud");
        }
        if (!allFinite(a) || !allFinite(b)) return Double.NaN;
        SplittableRandom random = new SplittableRandom(seed);
        double[] pa = new double[a.length / 2], pb = new double[b.length / 2];
        double total = 0;
        for (int p = 0; p < projections; p++) {
            double angle = 2 * Math.PI * random.nextDouble();
            double cx = Math.cos(angle), cy = Math.sin(angle);
            project(a, cx, cy, pa);
            project(b, cx, cy, pb);
            total += wasserstein2Squared(pa, pb);
        }
        return Math.sqrt(total / projections);
    }

    /** W₂² between two 1-D empirical distributions with equal weights; sorts its arguments. */
    static double wasserstein2Squared(double[] p, double[] q) {
        Arrays.sort(p);
        Arrays.sort(q);
        int n = p.length, m = q.length;
        // walk u from 0 to 1; on [u, next) the quantiles are p[i] and q[j]
        int i = 0, j = 0;
        double u = 0, sum = 0;
        while (i < n && j < m) {
            double nextP = (double) (i + 1) / n, nextQ = (double) (j + 1) / m;
            double next = Math.min(nextP, nextQ);
            double d = p[i] - q[j];
            sum += (next - u) * d * d;
            u = next;
            // advance whichever breakpoint was reached (both at a shared breakpoint); integer
            // comparison (i+1)·m vs (j+1)·n avoids rounding ties
            long lhs = (long) (i + 1) * m, rhs = (long) (j + 1) * n;
            if (lhs <= rhs) i++;
            if (rhs <= lhs) j++;
        }
        return sum;
    }

    private static void project(double[] xy, double cx, double cy, double[] out) {
        for (int k = 0; k < out.length; k++) out[k] = cx * xy[2 * k] + cy * xy[2 * k + 1];
    }

    private static double[] points(INDArray x, String name) {
        if (x.rank() != 2 || x.size(1) != 2) {
            throw new IllegalArgumentException("%s must be [n, 2], got %s".formatted(name, Arrays.toString(x.shape())));
        }
        return x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) if (!Double.isFinite(v)) return false;
        return true;
    }
}
