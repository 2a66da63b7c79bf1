package org.diffusionplayground.app.lab;

import java.util.Objects;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.ToyDataset;

/**
 * What a lab lane samples: the dataset's exact diffusion model (ε on the lab's schedule), its
 * exact flow (the velocity on the linear interpolant), or the reflowed flow — the small MLP fitted
 * to the exact flow's noise–data pairs ({@link Reflowed}). Flow lanes step uniformly in t, the
 * grid the flow integrators' orders refer to; diffusion lanes use the lab's spacing.
 */
public enum LaneProcess {
    DIFFUSION("diffusion", ""),
    FLOW("flow", " · flow"),
    REFLOW("reflow", " · reflow");

    private final String label;
    private final String suffix;

    LaneProcess(String label, String suffix) {
        this.label = label;
        this.suffix = suffix;
    }

    public String label() { return label; }

    /** What a sampler's name gets in the convergence chart's legend: "" for diffusion, " · flow", " · reflow". */
    public String suffix() { return suffix; }

    public PathFamily family() { return this == DIFFUSION ? PathFamily.DIFFUSION : PathFamily.FLOW; }

    /** The lab's spacing for diffusion; uniform in t for the flows. */
    public Spacing spacing(Spacing labSpacing) { return this == DIFFUSION ? labSpacing : PathFamily.FLOW.defaultSpacing(); }

    /** The model a lane of this process samples; {@code reflowed} is the reflowed MLP (needed only for REFLOW). */
    public Denoiser model(ToyDataset dataset, ScheduleKind schedule, Denoiser reflowed) {
        return switch (this) {
            case DIFFUSION -> dataset.mixture().oracle(schedule.create());
            case FLOW -> dataset.mixture().oracle(family().path(schedule), Parameterization.U);
            case REFLOW -> Objects.requireNonNull(reflowed, "the reflowed model is trained first");
        };
    }

    /** The process of a legend name such as "rk4 · flow"; DIFFUSION where there is no suffix. */
    public static LaneProcess ofName(String name) {
        for (LaneProcess p : values()) if (p != DIFFUSION && name.endsWith(p.suffix)) return p;
        return DIFFUSION;
    }

    /** The sampler name in a legend name ("rk4 · flow" → "rk4"). */
    public static String samplerName(String name) {
        LaneProcess p = ofName(name);
        return name.substring(0, name.length() - p.suffix.length());
    }
}
