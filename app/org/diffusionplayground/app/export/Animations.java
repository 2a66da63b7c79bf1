package org.diffusionplayground.app.export;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.model.schedule.NoiseSchedule;

/** The frames of the two animations: a reverse run (x_t | x̂0 side by side) and forward noising. */
public final class Animations {

    static final int SIDE = 28;
    static final int SCALE = 3;
    /** Frames of the forward animation, t = 0 … T. */
    public static final int FORWARD_FRAMES = 41;

    private Animations() {
    }

    /** Frame k of the recorded run: x_t on the left, the model's x̂0 on the right. */
    public static IntFunction<BufferedImage> reverse(Recording run, int columns) {
        return k -> Frames.row(List.of(Frames.grid(run.x(k), SIDE, columns, SCALE), Frames.grid(run.predX0(k), SIDE, columns, SCALE)));
    }

    /** x_t above x̂0 at {@value Exporter#STRIP_FRAMES} frames from x_T to the end. */
    public static BufferedImage reverseStrip(Recording run, int columns) {
        List<BufferedImage> xs = new ArrayList<>(), x0s = new ArrayList<>();
        for (int k : Frames.spread(run.frames(), Exporter.STRIP_FRAMES)) {
            xs.add(Frames.grid(run.x(k), SIDE, columns, 1));
            x0s.add(Frames.grid(run.predX0(k), SIDE, columns, 1));
        }
        return Frames.column(List.of(Frames.row(xs), Frames.row(x0s)));
    }

    /** x_t = α_t·x0 + σ_t·ε at t = i/(frames − 1) of the schedule, for the images and noise shown. */
    public static IntFunction<BufferedImage> forward(float[] x0, float[] eps, NoiseSchedule schedule, int columns, int frames, int scale) {
        return i -> {
            double t = (double) i / (frames - 1);
            float a = (float) schedule.alpha(t), s = (float) schedule.sigma(t);
            float[] xt = new float[x0.length];
            for (int p = 0; p < xt.length; p++) xt[p] = a * x0[p] + s * eps[p];
            return Frames.grid(xt, SIDE, columns, scale);
        };
    }

    /** {@value Exporter#STRIP_FRAMES} frames of forward noising in a row, t = 0 … T. */
    public static BufferedImage forwardStrip(float[] x0, float[] eps, NoiseSchedule schedule, int columns) {
        IntFunction<BufferedImage> frame = forward(x0, eps, schedule, columns, Exporter.STRIP_FRAMES, 1);
        List<BufferedImage> row = new ArrayList<>();
        for (int i = 0; i < Exporter.STRIP_FRAMES; i++) row.add(frame.apply(i));
        return Frames.row(row);
    }
}
