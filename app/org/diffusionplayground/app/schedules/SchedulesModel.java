package org.diffusionplayground.app.schedules;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.diffusionplayground.viz.Curve;

/**
 * The Schedules page: any set of schedules overlaid, each quantity against normalised t, with the
 * n sampling times of the chosen {@link Spacing} marked on every curve. Beside the Gaussian paths,
 * the discrete schedules of the text models ({@link TextSchedule}) on charts of their own, their
 * markers at the n uniform times the text samplers visit.
 */
public final class SchedulesModel {

    /** Points per curve (t = k/CURVE_POINTS); β uses every step of the schedule's grid. */
    static final int CURVE_POINTS = 500;

    /** One schedule's sampling times: continuous t (decreasing) and nearest grid steps; kind null for the flow interpolant. */
    public record Timesteps(ScheduleKind kind, String label, double[] times, int[] steps) {
        /** The palette index of its curves: the schedule's, or {@link #FLOW_COLOUR}. */
        public int colour() { return kind == null ? FLOW_COLOUR : kind.ordinal(); }
    }

    /** The palette index of the flow interpolant's curves, after the schedules'. */
    public static final int FLOW_COLOUR = ScheduleKind.values().length;
    /** How the interpolant is labelled on the charts. */
    public static final String FLOW_LABEL = "Linear interpolant (flow): α = 1 − t, σ = t";

    private final Map<ScheduleKind, BooleanProperty> selected = new EnumMap<>(ScheduleKind.class);
    private final BooleanProperty flow = new SimpleBooleanProperty(this, "flow", false);
    private final Map<TextSchedule, BooleanProperty> text = new EnumMap<>(TextSchedule.class);
    private final ReadOnlyBooleanWrapper textShown = new ReadOnlyBooleanWrapper(this, "textShown", false);
    private final DoubleProperty shift = new SimpleDoubleProperty(this, "shift", 1.0);
    private final IntegerProperty stepCount = new SimpleIntegerProperty(this, "stepCount", 20);
    private final ObjectProperty<Spacing> spacing = new SimpleObjectProperty<>(this, "spacing", Spacing.LINEAR);
    private final Map<Quantity, ReadOnlyObjectWrapper<List<Curve>>> curves = new EnumMap<>(Quantity.class);
    private final ReadOnlyObjectWrapper<List<Timesteps>> timesteps = new ReadOnlyObjectWrapper<>(this, "timesteps", List.of());
    private final ReadOnlyStringWrapper overlap = new ReadOnlyStringWrapper(this, "overlap", "");

    /** Two schedules whose log-SNR differs by less than this everywhere on [1/T, 1] draw as one curve. */
    static final double SAME_CURVE = 0.25;

    public SchedulesModel() {
        for (ScheduleKind c : ScheduleKind.values()) {
            BooleanProperty p = new SimpleBooleanProperty(this, c.name(), c == ScheduleKind.DDPM || c == ScheduleKind.COSINE);
            p.addListener(o -> update());
            selected.put(c, p);
        }
        for (TextSchedule s : TextSchedule.values()) {
            BooleanProperty p = new SimpleBooleanProperty(this, s.name(), false);
            p.addListener(o -> update());
            text.put(s, p);
        }
        for (Quantity q : Quantity.values()) curves.put(q, new ReadOnlyObjectWrapper<>(this, q.name(), List.of()));
        shift.addListener(o -> update());
        flow.addListener(o -> update());
        stepCount.addListener(o -> update());
        spacing.addListener(o -> update());
        update();
    }

    public BooleanProperty selectedProperty(ScheduleKind kind) { return selected.get(kind); }
    public DoubleProperty shiftProperty() { return shift; }
    /**
     * Whether flow matching's linear interpolant x_t = (1 − t)·x0 + t·ε (Lipman et al. 2023; Liu et
     * al. 2023) is drawn beside the schedules: its signal variance α², σ, SNR and λ (no β: it is
     * not variance preserving), and where the spacing puts its steps.
     */
    public BooleanProperty flowProperty() { return flow; }
    /**
     * Whether a discrete (text) schedule is drawn: the probability that a character is still clean
     * and the total noise σ̄(t), on their own charts ({@link Quantity#discrete()}).
     */
    public BooleanProperty textProperty(TextSchedule s) { return text.get(s); }
    /** True while any text schedule is drawn (the page then shows their charts). */
    public ReadOnlyBooleanProperty textShownProperty() { return textShown.getReadOnlyProperty(); }
    /** Number of sampling steps n, 1…T. */
    public IntegerProperty stepCountProperty() { return stepCount; }
    public ObjectProperty<Spacing> spacingProperty() { return spacing; }
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty(Quantity q) { return curves.get(q).getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<List<Timesteps>> timestepsProperty() { return timesteps.getReadOnlyProperty(); }
    /**
     * Which shown curves lie on top of each other, and why ("" when none): the VP SDE and DDPM
     * linear are the same schedule in continuous and discrete time, so one hides the other.
     */
    public ReadOnlyStringProperty overlapProperty() { return overlap.getReadOnlyProperty(); }

    /** The schedules currently overlaid. */
    public List<ScheduleKind> selection() {
        List<ScheduleKind> list = new ArrayList<>();
        for (ScheduleKind c : ScheduleKind.values()) if (selected.get(c).get()) list.add(c);
        return list;
    }

    private void update() {
        Map<Quantity, List<Curve>> next = new EnumMap<>(Quantity.class);
        for (Quantity q : Quantity.values()) next.put(q, new ArrayList<>());
        List<Timesteps> marks = new ArrayList<>();
        Map<ScheduleKind, NoiseSchedule> shown = new EnumMap<>(ScheduleKind.class);
        List<String> notes = new ArrayList<>();
        for (ScheduleKind kind : selection()) {
            NoiseSchedule s = kind.create(shift.get());
            String label = kind.label(shift.get());
            for (var earlier : shown.entrySet()) {
                double gap = largestLogSnrGap(earlier.getValue(), s);
                if (gap < SAME_CURVE) {
                    label += " (≈ " + earlier.getKey().label(shift.get()) + ")";
                    notes.add(sameCurveNote(earlier.getKey(), kind, gap));
                    break;
                }
            }
            shown.put(kind, s);
            int n = Math.max(1, Math.min(s.steps(), stepCount.get()));
            double[] times = spacing.get().times(s, n);
            int[] steps = new int[n];
            for (int k = 0; k < n; k++) steps[k] = Quantity.stepIndex(s, times[k]);
            marks.add(new Timesteps(kind, label, times, steps));
            for (Quantity q : Quantity.values()) if (!q.discrete()) next.get(q).add(curve(q, s, label, kind.ordinal(), times));
        }
        if (flow.get()) {
            LinearInterpolant p = LinearInterpolant.defaults();
            int n = Math.max(1, Math.min(p.steps(), stepCount.get()));
            double[] times = spacing.get().times(p, n);
            int[] steps = new int[n];
            for (int k = 0; k < n; k++) steps[k] = Quantity.stepIndex(p, times[k]);
            marks.add(new Timesteps(null, FLOW_LABEL, times, steps));
            for (Quantity q : Quantity.values()) {
                if (q != Quantity.BETA && !q.discrete()) next.get(q).add(curve(q, p, FLOW_LABEL, FLOW_COLOUR, times));
            }
        }
        boolean anyText = false;
        for (TextSchedule s : TextSchedule.values()) {
            if (!text.get(s).get()) continue;
            anyText = true;
            double[] times = TimeGrid.uniform(Math.max(1, Math.min(1000, stepCount.get()))); // as TokenRun walks them
            for (Quantity q : Quantity.values()) if (q.discrete()) next.get(q).add(textCurve(q, s, times));
        }
        textShown.set(anyText);
        for (Quantity q : Quantity.values()) curves.get(q).set(List.copyOf(next.get(q)));
        timesteps.set(List.copyOf(marks));
        overlap.set(String.join(" ", notes));
    }

    /** max |λ_a(t) − λ_b(t)| over the plotted times t = k/{@link #CURVE_POINTS}, k ≥ 1. */
    static double largestLogSnrGap(NoiseSchedule a, NoiseSchedule b) {
        double gap = 0;
        for (int k = 1; k <= CURVE_POINTS; k++) {
            double t = (double) k / CURVE_POINTS;
            gap = Math.max(gap, Math.abs(a.logSnr(t) - b.logSnr(t)));
        }
        return gap;
    }

    private static String sameCurveNote(ScheduleKind first, ScheduleKind second, double gap) {
        String why = java.util.EnumSet.of(first, second).equals(java.util.EnumSet.of(ScheduleKind.DDPM, ScheduleKind.VP))
                ? ": the VP SDE is DDPM's linear β in continuous time, β(t) = T·β_{tT} from 0.1 to 20"
                        + " (Song et al. 2021, “Score-Based Generative Modeling through SDEs”, §3.4)"
                : "";
        return String.format(java.util.Locale.ROOT, "%s and %s draw as one curve (their λ differs by at most %.2f)%s.",
                second.label(), first.label(), gap, why);
    }

    private static Curve textCurve(Quantity q, TextSchedule s, double[] times) {
        double[] x = new double[CURVE_POINTS + 1], y = new double[CURVE_POINTS + 1];
        for (int k = 0; k <= CURVE_POINTS; k++) {
            x[k] = (double) k / CURVE_POINTS;
            y[k] = q.at(s, x[k]);
        }
        double[] my = new double[times.length];
        for (int k = 0; k < times.length; k++) my[k] = q.at(s, times[k]);
        return new Curve(s.label(), s.colour(), x, y, times.clone(), my);
    }

    private static Curve curve(Quantity q, GaussianPath s, String label, int colour, double[] times) {
        boolean perStep = q == Quantity.BETA;
        int points = perStep ? s.steps() : CURVE_POINTS + 1;
        double[] x = new double[points], y = new double[points];
        for (int k = 0; k < points; k++) {
            x[k] = perStep ? s.timeOf(k) : (double) k / CURVE_POINTS;
            y[k] = q.at(s, x[k]);
        }
        double[] mx = new double[times.length], my = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            mx[k] = perStep ? s.timeOf(Quantity.stepIndex(s, times[k])) : times[k];
            my[k] = q.at(s, mx[k]);
        }
        return new Curve(label, colour, x, y, mx, my);
    }
}
