package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.diffusionplayground.viz.Curve;

/**
 * A run's loss per step and its smoothed curve: an exponential moving average with the bias
 * correction of Adam (Kingma &amp; Ba 2015, §3), s̃ₖ = sₖ / (1 − βᵏ), so the curve starts at the
 * first losses rather than at 0 (TensorBoard's smoothing). Grows as steps arrive; a resumed run
 * starts from its {@code loss.csv}.
 */
public final class LossHistory {

    /**
     * Weight of the past in the smoothed curve: about a 20-step window (1/(1−β)). At batch 64 a
     * step's loss scatters by ±20–30 % (each image gets its own t); 0.98 smoothed that better but
     * lagged far behind the fast drop of the first ~50 steps.
     */
    static final double SMOOTHING = 0.95;
    /** Points per drawn curve; longer runs are drawn with every k-th point. */
    static final int MAX_DRAWN = 1500;

    private double[] steps = new double[256];
    private double[] loss = new double[256];
    private double[] smooth = new double[256];
    private int size;
    private double average; // the biased moving average sₖ
    private int averaged;   // k, the points in it (non-finite losses are skipped)

    public int size() { return size; }

    /** The step of the newest point, or 0 when empty. */
    public int lastStep() { return size == 0 ? 0 : (int) steps[size - 1]; }

    public double smoothedLast() { return size == 0 ? Double.NaN : smooth[size - 1]; }

    /** The newest step's loss, or NaN when empty. */
    public double last() { return size == 0 ? Double.NaN : loss[size - 1]; }

    public void add(int step, double value) {
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, 2 * size);
            loss = Arrays.copyOf(loss, 2 * size);
            smooth = Arrays.copyOf(smooth, 2 * size);
        }
        if (Double.isFinite(value)) {
            average = SMOOTHING * average + (1 - SMOOTHING) * value;
            averaged++;
        }
        steps[size] = step;
        loss[size] = value;
        smooth[size] = averaged == 0 ? Double.NaN : average / (1 - Math.pow(SMOOTHING, averaged));
        size++;
    }

    /** The smoothed and raw curves for a {@link org.diffusionplayground.viz.CurveChart}, thinned to {@value #MAX_DRAWN} points. */
    public List<Curve> curves() {
        int stride = Math.max(1, (size + MAX_DRAWN - 1) / MAX_DRAWN);
        int n = (size + stride - 1) / stride;
        double[] x = new double[n], raw = new double[n], smoothed = new double[n];
        for (int i = 0, k = 0; i < size; i += stride, k++) {
            x[k] = steps[i];
            raw[k] = loss[i];
            smoothed[k] = smooth[i];
        }
        if (n > 0 && stride > 1) { // always end on the newest point
            x[n - 1] = steps[size - 1];
            raw[n - 1] = loss[size - 1];
            smoothed[n - 1] = smooth[size - 1];
        }
        // the chart draws its first curve on top: the smoothed one over the scatter
        return List.of(new Curve("smoothed", 1, x, smoothed), new Curve("loss", 6, x, raw));
    }

    /**
     * The points of a run's {@code loss.csv} ({@code step,loss,…}, as {@code LossLog} writes it)
     * up to {@code maxStep}; a missing file gives an empty history, torn or foreign lines are skipped.
     */
    public static LossHistory read(Path csv, int maxStep) throws IOException {
        LossHistory h = new LossHistory();
        if (!Files.isRegularFile(csv)) return h;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] cells = line.split(",");
            if (cells.length < 2) continue;
            try {
                int step = Integer.parseInt(cells[0].strip());
                if (step <= maxStep) h.add(step, Double.parseDouble(cells[1].strip()));
            } catch (NumberFormatException ignored) {
                // the header, or a torn last line of a killed run
            }
        }
        return h;
    }
}
