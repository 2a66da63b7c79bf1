package org.diffusionplayground.app.imagemodel;

import org.diffusionplayground.model.sampling.solvers.SamplerKind;

/**
 * A short note beside a result that looks broken but is right, so a class is not left to guess
 * (the Compare page's columns, the Reverse page's status line).
 */
public final class SamplerNotes {

    /** Up to this many steps Heun's digits are visibly worse than the other samplers'. */
    static final int HEUN_FEW_STEPS = 10;

    private SamplerNotes() {
    }

    /**
     * Why {@code sampler} at {@code steps} looks the way it does, or "" when nothing needs saying.
     * Heun (Karras et al. 2022, EDM, Algorithm 1) at few steps: n steps cost 2n − 1 evaluations
     * but take only n − 1 trapezoid steps, each across a large drop in σ/α on the log-SNR grid,
     * where the trapezoid's straight-line slope is far off; DPM-Solver++ integrates the
     * exponential part of the same ODE exactly (Lu et al. 2022) and keeps its shape at that cost.
     * Its last step, from the first grid time to 0, is an Euler step but a tiny one: it adds next
     * to nothing ({@code SingleGaussianTest} measures both).
     */
    public static String fewSteps(SamplerKind sampler, int steps) {
        if (sampler == SamplerKind.HEUN && steps >= 2 && steps <= HEUN_FEW_STEPS) {
            return ("Blobs at %d steps are Heun's own error, not a bug: its %d network evaluations make only %d trapezoid "
                    + "steps, each across a large drop in noise, and the trapezoid takes the model's slope as straight across "
                    + "it (Karras et al. 2022 use 18 steps or more). DPM-Solver++ integrates that part exactly and keeps "
                    + "its shape at the same cost.").formatted(steps, 2 * steps - 1, steps - 1);
        }
        return "";
    }

    /** {@link #fewSteps} in a few words, for a narrow column (the whole note goes in its tooltip); "" likewise. */
    public static String fewStepsShort(SamplerKind sampler, int steps) {
        return fewSteps(sampler, steps).isEmpty() ? "" : "Heun's own error at %d steps, not a bug (hover: why)".formatted(steps);
    }
}
