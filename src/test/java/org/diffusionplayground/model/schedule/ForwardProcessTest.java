package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** addNoise, the posterior q(x_{t−1} | x_t, x0) and the ε/v/x0 conversions. */
class ForwardProcessTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void posteriorMatchesHoEtAlEquationSevenForAdjacentSteps() {
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        for (int i : new int[] {1, 2, 100, 500, 999}) {
            // Ho et al. 2020 eq. 7 with β and ᾱ from a plain loop over the linear β_i:
            // μ̃ = √ᾱ_{i−1}·β_i/(1 − ᾱ_i)·x0 + √α_i·(1 − ᾱ_{i−1})/(1 − ᾱ_i)·x_t,
            // β̃ = (1 − ᾱ_{i−1})/(1 − ᾱ_i)·β_i
            double alphaBarPrev = 1;
            for (int j = 0; j < i; j++) alphaBarPrev *= 1 - beta(j);
            double beta = beta(i), alphaBar = alphaBarPrev * (1 - beta);
            Posterior p = Posterior.of(schedule, schedule.timeOf(i), schedule.timeOf(i - 1));
            assertEquals(Math.sqrt(alphaBarPrev) * beta / (1 - alphaBar), p.coefX0(), 1e-10, "i = " + i);
            assertEquals(Math.sqrt(1 - beta) * (1 - alphaBarPrev) / (1 - alphaBar), p.coefXt(), 1e-10);
            assertEquals((1 - alphaBarPrev) / (1 - alphaBar) * beta, p.variance(), 1e-12);
        }
    }

    @Test
    void posteriorIntoTimeZeroIsTheCleanDataWithNoVariance() {
        Posterior p = Posterior.of(NoiseSchedule.cosine(), 0.3, 0);
        assertEquals(1, p.coefX0(), 1e-12);
        assertEquals(0, p.coefXt(), 1e-12);
        assertEquals(0, p.variance(), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(Parameterization.class)
    void eachParameterizationRoundTripsToEpsAndX0(Parameterization kind) {
        Noise noise = new Noise(7, DataType.DOUBLE);
        INDArray x0 = noise.normal(5, 3), eps = noise.normal(5, 3);
        NoiseSchedule schedule = NoiseSchedule.cosine();
        for (double t : new double[] {0.02, 0.5, 0.97}) {
            double alpha = schedule.alpha(t), sigma = schedule.sigma(t);
            Coefficients c = schedule.coefficients(t);
            INDArray xt = schedule.addNoise(x0, eps, t);
            assertClose(x0.mul(alpha).add(eps.mul(sigma)), xt, 1e-12);
            INDArray target = kind.target(x0, eps, c);
            assertClose(eps, kind.toEps(target, xt, c), 1e-9);
            assertClose(x0, kind.toX0(target, xt, c), 1e-9);
        }
    }

    @Test
    void vIsAlphaEpsMinusSigmaX0() {
        Noise noise = new Noise(8, DataType.DOUBLE);
        INDArray x0 = noise.normal(4), eps = noise.normal(4);
        double alpha = 0.6, sigma = 0.8;
        assertClose(eps.mul(alpha).sub(x0.mul(sigma)),
                Parameterization.V.target(x0, eps, new Coefficients(alpha, sigma, 0, 0)), 1e-15);
    }

    private static double beta(int j) {
        return 1e-4 + (0.02 - 1e-4) * j / 999.0;
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertEquals(0, diff, tolerance, "max |difference|");
    }
}
