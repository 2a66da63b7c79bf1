package org.diffusionplayground.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.solvers.Ddim;
import org.diffusionplayground.model.sampling.solvers.Ddpm;
import org.diffusionplayground.model.sampling.solvers.DpmSolver;
import org.diffusionplayground.model.sampling.solvers.DpmSolverPlusPlus2M;
import org.diffusionplayground.model.sampling.solvers.Euler;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.toy.ToyDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Identities between samplers that must hold step for step, from the same x, on VP schedules
 * and on the linear interpolant, with exact denoisers (a single Gaussian, ring8's oracle):
 * <ul>
 *   <li>DDIM with η = 1 is DDPM's ancestral step with σ² = β̃ under the same noise: with
 *       x_t = α_t·x̂0 + σ_t·ε̂, the posterior mean is α_s·x̂0 + √(σ_s² − β̃)·ε̂, DDIM's eq. 12 at
 *       σ_η² = β̃ (Song et al. 2021, "Denoising diffusion implicit models", eq. 16 and §4.1). It
 *       fails if σ_η loses its factor σ_s/σ_t (in VP terms √((1 − ᾱ_s)/(1 − ᾱ_t))).</li>
 *   <li>On the linear interpolant, DDIM with η = 0 — and so Euler (Karras et al. 2022) and
 *       DPM-Solver-1 — is Euler's method on the flow ODE: x_s = x_t + (s − t)·û, because
 *       α_s·x̂0 + σ_s·ε̂ − x_t = (t − s)·x̂0 + (s − t)·ε̂ = (s − t)·(ε̂ − x̂0).</li>
 * </ul>
 */
@ExtendWith(SingleThreadNd4j.class)
class SamplerEquivalenceTest {

    private static final LinearInterpolant INTERPOLANT = LinearInterpolant.defaults();

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ddpm schedule, single Gaussian, ε", new GaussianDenoiser(NoiseSchedule.ddpm(), 1.5, 0.5)),
                Arguments.of("cosine schedule, ring8, v", ToyDataset.RING8.mixture().oracle(NoiseSchedule.cosine(),
                        Parameterization.V)),
                Arguments.of("linear interpolant, ring8, u", ToyDataset.RING8.mixture().oracle(INTERPOLANT,
                        Parameterization.U)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void ddimWithEtaOneIsDdpmWithThePosteriorVarianceStepForStep(String name, Denoiser denoiser) {
        double[] times = Spacing.LINEAR.times(denoiser.schedule(), 20);
        Sampler ddim = new Ddim(1, new Noise(4, DataType.DOUBLE));
        Sampler ddpm = new Ddpm(false, new Noise(4, DataType.DOUBLE));
        ModelFn model = ModelFn.unconditional(denoiser);
        INDArray x = new Noise(9, DataType.DOUBLE).normal(16, 2);
        for (int k = 0; k < times.length; k++) {
            double tPrev = k + 1 < times.length ? times[k + 1] : 0;
            INDArray a = ddim.step(model, x, times[k], tPrev).x();
            INDArray b = ddpm.step(model, x, times[k], tPrev).x();
            double scale = Math.max(1, a.amaxNumber().doubleValue());
            assertEquals(0, a.sub(b).amaxNumber().doubleValue() / scale, 1e-9, name + ", step " + k);
            x = a;
        }
    }

    /** û taken from the model's output in each parameterisation, converted where it is not u. */
    @ParameterizedTest
    @EnumSource(value = Parameterization.class, names = {"U", "V", "X0"})
    void onTheInterpolantDdimEulerAndDpmSolverOneAreEulersMethodOnTheVelocity(Parameterization kind) {
        Denoiser flow = ToyDataset.RING8.mixture().oracle(INTERPOLANT, kind);
        double[] times = Spacing.LINEAR.times(INTERPOLANT, 20);
        ModelFn model = ModelFn.unconditional(flow);
        INDArray x = new Noise(3, DataType.DOUBLE).normal(16, 2);
        for (int k = 0; k < times.length; k++) {
            double t = times[k], s = k + 1 < times.length ? times[k + 1] : 0;
            Coefficients c = INTERPOLANT.coefficients(t);
            INDArray u = kind.convert(flow.predict(x, t, null), x, c, Parameterization.U);
            INDArray expected = x.add(u.mul(s - t)); // x_s = x_t + (s − t)·û
            for (Sampler sampler : new Sampler[] {new Ddim(0, null), new Euler(), new DpmSolver(1)}) {
                INDArray actual = sampler.step(model, x, t, s).x();
                assertEquals(0, actual.sub(expected).amaxNumber().doubleValue(), 1e-12,
                        kind + ", " + sampler.getClass().getSimpleName() + ", step " + k + " at t = " + t);
            }
            x = expected;
        }
    }

    /** The same identity is special to the interpolant: on a VP schedule DDIM is not Euler in t. */
    @Test
    void onACosineScheduleDdimIsNotEulerInTimeOnTheVelocity() {
        GaussianPath cosine = NoiseSchedule.cosine();
        Denoiser flow = ToyDataset.RING8.mixture().oracle(cosine, Parameterization.U);
        INDArray x = new Noise(3, DataType.DOUBLE).normal(16, 2);
        double t = 0.5, s = 0.4;
        INDArray euler = x.add(flow.predict(x, t, null).mul(s - t));
        INDArray ddim = new Ddim(0, null).step(ModelFn.unconditional(flow), x, t, s).x();
        assertTrue(ddim.sub(euler).amaxNumber().doubleValue() > 1e-3);
    }

    @Test
    void onTheInterpolantTheFirstStepOfDpmSolverPlusPlusIsDdimFromPureNoise() {
        Denoiser flow = ToyDataset.RING8.mixture().oracle(INTERPOLANT, Parameterization.U);
        INDArray x1 = new Noise(3, DataType.DOUBLE).normal(16, 2);
        INDArray ddim = new Ddim(0, null).step(ModelFn.unconditional(flow), x1, 1.0, 0.7).x();
        INDArray pp = new DpmSolverPlusPlus2M().step(ModelFn.unconditional(flow), x1, 1.0, 0.7).x();
        assertEquals(0, ddim.sub(pp).amaxNumber().doubleValue(), 1e-12);
    }
}
