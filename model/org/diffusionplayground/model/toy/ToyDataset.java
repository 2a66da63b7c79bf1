package org.diffusionplayground.model.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.diffusionplayground.model.sampling.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 2-D toy datasets. Every one is a {@link GaussianMixture}, so every one has an exact
 * denoiser ({@link GaussianMixture#oracle}): {@code ring8} and {@code gaussian} are mixtures by
 * definition; {@code moons}, {@code spiral} and {@code checkerboard} are drawn as many small
 * equal-weight Gaussians placed evenly along the shape (spaced about one std apart, so the
 * density is a smooth band rather than beads). Sampling draws from that mixture itself, so the
 * samples and the oracle describe exactly the same distribution.
 */
public enum ToyDataset {
    /** 8 isotropic Gaussians, equal weights, centres at radius 2 and angles 2πk/8, std 0.15. */
    RING8("ring8", ToyDataset::ring8),
    /** One Gaussian N((0.5, −0.3), 0.8²·I): the case where every sampler map is linear. */
    GAUSSIAN("gaussian", () -> GaussianMixture.single(0.5, -0.3, 0.8)),
    /** scikit-learn's two moons, centred and scaled by 1.6: 2 × 64 components, std 0.1. */
    MOONS("moons", ToyDataset::moons),
    /** An Archimedean spiral, 1.5 turns, radius 0.25 → 2.25: 150 components, std 0.08. */
    SPIRAL("spiral", ToyDataset::spiral),
    /** The 8 dark cells of a 4 × 4 checkerboard on [−2, 2]²: 8 × 4 × 4 components, std 0.12. */
    CHECKERBOARD("checkerboard", ToyDataset::checkerboard);

    private final String cliName;
    private final GaussianMixture mixture;

    ToyDataset(String cliName, Supplier<GaussianMixture> build) {
        this.cliName = cliName;
        this.mixture = build.get();
    }

    public String cliName() { return cliName; }

    /** The data distribution, exactly. */
    public GaussianMixture mixture() { return mixture; }

    /** n samples, [n, 2] in the noise's dtype. */
    public INDArray sample(int n, Noise noise) { return mixture.sample(n, noise); }

    /** Parses a CLI name, naming the valid ones if wrong. */
    public static ToyDataset parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (ToyDataset d : values()) if (d.cliName.equals(key)) return d;
        throw new IllegalArgumentException("unknown dataset '%s' (valid: %s)".formatted(name, names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(ToyDataset::cliName).collect(Collectors.joining(", "));
    }

    private static GaussianMixture ring8() {
        double[][] means = new double[8][];
        for (int k = 0; k < 8; k++) {
            double angle = 2 * Math.PI * k / 8;
            means[k] = new double[] {2 * Math.cos(angle), 2 * Math.sin(angle)};
        }
        return GaussianMixture.uniform(means, 0.15);
    }

    private static GaussianMixture moons() {
        // upper moon (cos θ, sin θ), lower moon (1 − cos θ, 0.5 − sin θ), θ ∈ [0, π] (sklearn
        // make_moons); centre of the bounding box (0.5, 0.25) moved to the origin, scaled by 1.6.
        int perMoon = 64;
        double scale = 1.6;
        double[][] means = new double[2 * perMoon][];
        for (int i = 0; i < perMoon; i++) {
            double theta = Math.PI * i / (perMoon - 1);
            means[i] = new double[] {scale * (Math.cos(theta) - 0.5), scale * (Math.sin(theta) - 0.25)};
            means[perMoon + i] = new double[] {scale * (0.5 - Math.cos(theta)), scale * (0.25 - Math.sin(theta))};
        }
        return GaussianMixture.uniform(means, 0.1);
    }

    private static GaussianMixture spiral() {
        // r(θ) = 0.25 + 2θ/(3π), θ ∈ [0, 3π]; components at equal arc length, so the density along
        // the curve is uniform. Arc length by the trapezoid rule on a fine grid, then inverted.
        int components = 150, grid = 20_000;
        double end = 3 * Math.PI, slope = 2 / end;
        double[] arc = new double[grid + 1];
        for (int j = 1; j <= grid; j++) {
            double a = end * (j - 1) / grid, b = end * j / grid;
            arc[j] = arc[j - 1] + 0.5 * (b - a) * (speed(a, slope) + speed(b, slope));
        }
        List<double[]> means = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < components; i++) {
            double target = arc[grid] * i / (components - 1);
            while (j < grid && arc[j + 1] < target) j++;
            double theta = end * Math.min(j + fraction(arc, j, target), grid) / grid;
            double r = 0.25 + slope * theta;
            means.add(new double[] {r * Math.cos(theta), r * Math.sin(theta)});
        }
        return GaussianMixture.uniform(means.toArray(double[][]::new), 0.08);
    }

    private static double speed(double theta, double slope) {
        double r = 0.25 + slope * theta; // |d(r cos θ, r sin θ)/dθ| = √(r² + r'²)
        return Math.sqrt(r * r + slope * slope);
    }

    private static double fraction(double[] arc, int j, double target) {
        if (j + 1 >= arc.length) return 0;
        double width = arc[j + 1] - arc[j];
        return width > 0 ? Math.max(0, Math.min(1, (target - arc[j]) / width)) : 0;
    }

    private static GaussianMixture checkerboard() {
        // cells [i−2, i−1] × [j−2, j−1], i, j ∈ 0..3, dark where i + j is even; each dark cell
        // a 4 × 4 grid of components at spacing 0.25 (std 0.12 ≈ half the spacing: flat inside).
        List<double[]> means = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if ((i + j) % 2 != 0) continue;
                for (int a = 0; a < 4; a++) {
                    for (int b = 0; b < 4; b++) {
                        means.add(new double[] {i - 2 + 0.125 + 0.25 * a, j - 2 + 0.125 + 0.25 * b});
                    }
                }
            }
        }
        return GaussianMixture.uniform(means.toArray(double[][]::new), 0.12);
    }
}
