package org.diffusionplayground.app.compare;

import java.util.List;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;

/**
 * One column of the Compare page: a sampler on the model of one family, on a spacing, with its
 * colour on the FID-lite chart. The page supplies the model of each family: the current one, and
 * in {@link Comparison#DIFFUSION_VS_FLOW} the shipped model of the other family beside it.
 *
 * @param name  above the column and in the chart's legend: "ddim", or "flow · rk4" beside diffusion
 * @param colour the palette index of its FID-lite curve and swatch
 */
public record Contender(String name, PathFamily family, SamplerKind sampler, Spacing spacing, int colour) {

    /** The samplers of a diffusion model's comparison, in the order of the papers, on log-SNR steps (Lu et al. 2022). */
    public static final List<SamplerKind> DIFFUSION_SAMPLERS = List.of(SamplerKind.DDPM, SamplerKind.DDIM,
            SamplerKind.DPM_SOLVER_PP, SamplerKind.EULER, SamplerKind.HEUN);

    /**
     * A flow model's: its integrators in t (Euler, midpoint, RK4 — de Freitas 2026, "Diffusion and
     * flow matching tutorial", §7.3), Heun, and DPM-Solver++ through α and σ, on uniform steps in t.
     * DDIM (η = 0) is left out: on the linear interpolant its step is Euler's.
     */
    public static final List<SamplerKind> FLOW_SAMPLERS = List.of(SamplerKind.EULER, SamplerKind.MIDPOINT, SamplerKind.RK4,
            SamplerKind.HEUN, SamplerKind.DPM_SOLVER_PP);

    /**
     * The diffusion model beside the flow model. Paired so that each difference has one cause:
     * DDIM on diffusion and Euler on flow are the same algorithm (Euler in σ/α, Karras et al. 2022,
     * §3; on the interpolant Euler in t), and DPM-Solver++ runs on both; RK4 is the flow's own.
     * Each family on its own spacing: log-SNR for diffusion, uniform in t for flow.
     */
    public static final List<Contender> DIFFUSION_VS_FLOW = List.of(
            new Contender("diffusion · ddim", PathFamily.DIFFUSION, SamplerKind.DDIM, Spacing.LOGSNR, 1),
            new Contender("diffusion · dpm-solver++", PathFamily.DIFFUSION, SamplerKind.DPM_SOLVER_PP, Spacing.LOGSNR, 3),
            new Contender("flow · euler", PathFamily.FLOW, SamplerKind.EULER, Spacing.TRAILING, 4),
            new Contender("flow · dpm-solver++", PathFamily.FLOW, SamplerKind.DPM_SOLVER_PP, Spacing.TRAILING, 2),
            new Contender("flow · rk4", PathFamily.FLOW, SamplerKind.RK4, Spacing.TRAILING, 6));

    /** The columns of {@code comparison} when the current model is of {@code current}'s family. */
    public static List<Contender> lineup(Comparison comparison, PathFamily current) {
        if (comparison == Comparison.DIFFUSION_VS_FLOW) return DIFFUSION_VS_FLOW;
        if (current == PathFamily.FLOW) {
            int[] colours = {4, 2, 6, 5, 3};
            return java.util.stream.IntStream.range(0, FLOW_SAMPLERS.size()).mapToObj(i -> new Contender(
                    FLOW_SAMPLERS.get(i).cliName(), current, FLOW_SAMPLERS.get(i), Spacing.TRAILING, colours[i])).toList();
        }
        return DIFFUSION_SAMPLERS.stream().map(k -> new Contender(k.cliName(), current, k, Spacing.LOGSNR, k.ordinal())).toList();
    }

    /**
     * Steps that spend at most {@code nfe} network evaluations, at least one: one evaluation per
     * step for Euler, DDIM, DDPM and DPM-Solver++, two for the midpoint rule, four for RK4 (its last
     * step too, on the linear interpolant), and 2n − 1 for n steps of Heun (no corrector on the last).
     */
    public int stepsFor(int nfe) {
        int steps = switch (sampler) {
            case MIDPOINT -> nfe / 2;
            case RK4 -> nfe / 4;
            case HEUN -> (nfe + 1) / 2;
            default -> nfe;
        };
        return Math.max(1, steps);
    }
}
