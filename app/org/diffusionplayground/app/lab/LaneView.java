package org.diffusionplayground.app.lab;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.diffusionplayground.app.Format;

/** What one lane of the lab shows at the current frame: points, paths, and a status line. */
public final class LaneView {

    private final ReadOnlyObjectWrapper<float[]> points = new ReadOnlyObjectWrapper<>(this, "points");
    private final ReadOnlyObjectWrapper<List<float[]>> paths = new ReadOnlyObjectWrapper<>(this, "paths", List.of());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper time = new ReadOnlyStringWrapper(this, "time", "");
    private final ReadOnlyStringWrapper straightness = new ReadOnlyStringWrapper(this, "straightness", "");

    /** x_t (or x̂0) of the current frame, interleaved x, y. */
    public ReadOnlyObjectProperty<float[]> pointsProperty() { return points.getReadOnlyProperty(); }
    /** Trajectories of a few points from x_T to the current frame. */
    public ReadOnlyObjectProperty<List<float[]>> pathsProperty() { return paths.getReadOnlyProperty(); }
    /** "SW₂ 0.1022 · NFE 20", or what the lane is doing. */
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    /** "x at t = 0.431 · 42 ms" / "x̂₀ at t = 0.431 · 42 ms": the frame's time and the run's. */
    public ReadOnlyStringProperty timeProperty() { return time.getReadOnlyProperty(); }
    /**
     * How straight the run's paths are, over all its points and steps: "length ÷ chord 1.031 · off
     * 0.067" (1 and 0 for straight paths; the distance off the chord is the tooltip's; see {@code eval.Straightness}).
     */
    public ReadOnlyStringProperty straightnessProperty() { return straightness.getReadOnlyProperty(); }

    void running(boolean on) {
        if (on) status.set("sampling…");
    }

    void clear(boolean off) {
        points.set(null);
        paths.set(List.of());
        status.set(off ? "off" : "");
        time.set("");
        straightness.set("");
    }

    void show(LabRun.Lane lane, int frame, boolean predX0, int pathCount) {
        int k = Math.min(frame, lane.frames() - 1);
        float[] shown = predX0 ? lane.predX0()[k] : lane.x()[k];
        points.set(shown);
        List<float[]> p = new ArrayList<>();
        if (pathCount > 0 && !predX0) {
            int n = lane.x()[0].length / 2;
            for (int j = 0; j < pathCount; j++) {
                int i = (int) ((long) j * n / pathCount);
                float[] path = new float[2 * (k + 1)];
                for (int f = 0; f <= k; f++) {
                    path[2 * f] = lane.x()[f][2 * i];
                    path[2 * f + 1] = lane.x()[f][2 * i + 1];
                }
                p.add(path);
            }
        }
        paths.set(List.copyOf(p));
        status.set("SW₂ %s · NFE %d".formatted(Format.number(lane.slicedWasserstein()), lane.nfe()));
        straightness.set(lane.straightness() == null ? "" : "length ÷ chord %s · off %s".formatted(
                Format.number(lane.straightness().lengthRatio()), Format.number(lane.straightness().chordDeviation())));
        time.set("%s at t = %s · %.0f ms".formatted(predX0 ? "x̂₀" : "x", Format.number(lane.times()[k]), lane.millis()));
    }
}
