package org.diffusionplayground.app.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.Test;

/** The equation's numbers against the closed forms each sampler's step is built from. */
class UpdateEquationTest {

    private final GaussianPath ddpm = NoiseSchedule.ddpm();

    /** The numbers after the last '=' (the equation with its values), as printed (4 significant digits). */
    private static List<Double> values(String equation, String part) {
        String tail = equation.substring(equation.lastIndexOf(part) + part.length());
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("−?\\d+(\\.\\d+)?(e[−-]?\\d+)?").matcher(tail);
        while (m.find()) out.add(Double.parseDouble(m.group().replace('−', '-')));
        return out;
    }

    @Test
    void ddimAtEtaZeroIsAlphaAndSigmaAtTheNextTime() {
        String e = UpdateEquation.update(SamplerKind.DDIM, ddpm, 0.6, 0.5, Double.NaN, 0);
        assertTrue(e.startsWith("t = 0.6000 → s = 0.5000:"), e);
        List<Double> v = values(e, "σₛ·ε̂ = ");
        assertEquals(ddpm.alpha(0.5), v.get(0), 5e-4 * ddpm.alpha(0.5));
        assertEquals(ddpm.sigma(0.5), v.get(1), 5e-4);
    }

    @Test
    void ddimAtEtaOneAddsTheSameNoiseAsDdpm() {
        // β̃ = σ²_{t|s}·σ_s²/σ_t² (Ho eq. 7) equals DDIM's σ_η² at η = 1 (Song et al. 2021, eq. 16)
        double t = 0.3, s = 0.25;
        List<Double> ddim = values(UpdateEquation.update(SamplerKind.DDIM, ddpm, t, s, Double.NaN, 1), "σ_η·z = ");
        List<Double> ancestral = values(UpdateEquation.update(SamplerKind.DDPM, ddpm, t, s, Double.NaN, 0), "σ·z = ");
        assertEquals(ancestral.get(2), ddim.get(2), 5e-4 * ddim.get(2));
        // DDPM's mean: the x̂₀ and xₜ weights of the posterior q(x_s | x_t, x0)
        double at = ddpm.alpha(t), as = ddpm.alpha(s), st2 = Math.pow(ddpm.sigma(t), 2), ss2 = Math.pow(ddpm.sigma(s), 2);
        assertEquals(as * (st2 - at * at / (as * as) * ss2) / st2, ancestral.get(0), 5e-4 * ancestral.get(0));
        assertEquals(at / as * ss2 / st2, ancestral.get(1), 5e-4 * ancestral.get(1));
    }

    @Test
    void dpmSolverPlusPlusOnEvenLogSnrStepsWeighsOneAndAHalfAndAHalf() {
        // three times evenly spaced in λ: r = 1, D = 1.5·x̂₀ − 0.5·x̂₀′ (Lu et al. 2022b, Algorithm 2)
        double before = 0.5, t = ddpm.timeOfLogSnr(ddpm.logSnr(0.5) + 1), s = ddpm.timeOfLogSnr(ddpm.logSnr(0.5) + 2);
        String e = UpdateEquation.update(SamplerKind.DPM_SOLVER_PP, ddpm, t, s, before, 0);
        List<Double> d = values(e, "(1/2r)·x̂₀′ = ");
        assertEquals(1.5, d.get(0), 1e-3);
        assertEquals(0.5, d.get(1), 1e-3);
        assertEquals(1.0, d.get(2), 1e-3, "r");
        List<Double> step = values(e.substring(0, e.indexOf(",  D =")), "·D = ");
        assertEquals(ddpm.sigma(s) / ddpm.sigma(t), step.get(0), 5e-4);
        assertEquals(0.5, step.get(2), 1e-3, "h = half the log-SNR step");
        assertTrue(UpdateEquation.update(SamplerKind.DPM_SOLVER_PP, ddpm, t, s, Double.NaN, 0).endsWith("D = x̂₀ (first step)"));
    }

    @Test
    void guidanceWritesBothWeights() {
        assertEquals("ε̂ = (1 − w)·ε̂(xₜ) + w·ε̂(xₜ, c) = −2.000·ε̂(xₜ) + 3.000·ε̂(xₜ, c)", UpdateEquation.guidance(3, true));
        assertTrue(UpdateEquation.guidance(3, false).contains("unconditional"));
    }

    @Test
    void theOdeCoefficientsAreTheDriftOfTheProbabilityFlow() {
        // VP: α′/α = −β(t)/2 and σ′ − σα′/α = β(t)/(2σ) (Song et al. 2021, eq. 13 in ε-form)
        double t = 0.4, a = ddpm.alphaPrime(t) / ddpm.alpha(t);
        List<Double> v = values(UpdateEquation.ode(ddpm, t), "ε̂ = ");
        assertEquals(a, v.get(0), 5e-4 * Math.abs(a));
        assertEquals(-a / ddpm.sigma(t), v.get(1), 5e-4 * Math.abs(a / ddpm.sigma(t)), "σ′ − σα′/α = −(α′/α)/σ on a VP path");
    }

    private final GaussianPath flow = LinearInterpolant.defaults();

    @Test
    void eulerOnAFlowModelStepsAlongTheVelocityInT() {
        // x_s = x_t + (s − t)·û with û = α′·x̂₀ + σ′·ε̂ = −x̂₀ + ε̂ on the interpolant (Lipman et al. 2023, eq. 10)
        String e = UpdateEquation.update(SamplerKind.EULER, flow, 1, 0.95, Double.NaN, 0);
        assertTrue(e.startsWith("t = 1.000 → s = 0.9500:   xₛ = xₜ + (s − t)·û = xₜ − "), e);
        assertEquals(0.05, values(e.substring(0, e.indexOf('\n')), "(s − t)·û = ").get(0), 1e-6);
        assertEquals(List.of(-1.0, 1.0), values(e, "σ′·ε̂ = "), "α′ = −1, σ′ = 1");
        // on a VP schedule Euler is still Karras et al.'s step, written as the ODE's drift
        assertTrue(UpdateEquation.update(SamplerKind.EULER, ddpm, 0.5, 0.4, Double.NaN, 0).contains("dx/dt = (α′/α)·x"));
    }

    @Test
    void rk4AndMidpointWriteTheirStagesInT() {
        String rk4 = UpdateEquation.update(SamplerKind.RK4, flow, 0.4, 0.2, Double.NaN, 0);
        assertEquals(-0.2, values(rk4.substring(0, rk4.indexOf(",  kᵢ")), "k₄),  h = ").get(0), 1e-6, "h = s − t");
        assertTrue(rk4.contains("kᵢ = û at t, t + h/2 (twice), s\nû = α′·x̂₀ + σ′·ε̂ = −1.000·x̂₀ + 1.000·ε̂"), rk4);
        assertTrue(UpdateEquation.update(SamplerKind.RK4, flow, 0.2, 0, Double.NaN, 0).contains("(k₁ + 2k₂ + 2k₃ + k₄)"),
                "on the interpolant the last step integrates to t = 0");
        assertTrue(UpdateEquation.update(SamplerKind.RK4, ddpm, 0.2, 0, Double.NaN, 0).endsWith("undefined at t = 0 on this path)"),
                "on a VP path û is infinite at 0: the last step is the jump to x̂₀");
        String mid = UpdateEquation.update(SamplerKind.MIDPOINT, flow, 1, 0.5, Double.NaN, 0);
        assertTrue(mid.contains("h = −0.5000,  t + h/2 = 0.7500"), mid);
    }

    @Test
    void heunFromPureNoiseOnTheInterpolantIsOneEulerStep() {
        String e = UpdateEquation.update(SamplerKind.HEUN, flow, 1, 0.8, Double.NaN, 0);
        assertTrue(e.contains("no corrector from α = 0"), e);
        assertEquals(List.of(0.2, 0.8), values(e.substring(0, e.indexOf("   (")), "σₛ·ε̂ = ").subList(0, 2), "α_s, σ_s");
    }

    @Test
    void dpmSolverPlusPlusFromTheInterpolantsPureNoiseHasFiniteWeights() {
        // λ(1) = −∞, so h = +∞: e^{−h} = 0 and the step is x_s = (σ_s/σ_t)·x_t + α_s·D — finite
        String e = UpdateEquation.update(SamplerKind.DPM_SOLVER_PP, flow, 1, 0.75, Double.NaN, 0);
        List<Double> v = values(e.substring(0, e.indexOf(",  h")), "·D = ");
        assertEquals(0.75, v.get(0), 1e-6, "σ_s/σ_t");
        assertEquals(0.25, v.get(1), 1e-6, "α_s");
        assertTrue(e.contains("h = +∞"), e);
    }

    @Test
    void aFlowModelIsGuidedInItsVelocity() {
        assertEquals("û = (1 − w)·û(xₜ) + w·û(xₜ, c) = −2.000·û(xₜ) + 3.000·û(xₜ, c)",
                UpdateEquation.guidance(3, true, Parameterization.U));
        assertEquals(UpdateEquation.guidance(3, true), UpdateEquation.guidance(3, true, Parameterization.V));
    }
}
