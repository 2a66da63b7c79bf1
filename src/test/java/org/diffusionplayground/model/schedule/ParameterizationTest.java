package org.diffusionplayground.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The conversions between ε, v, x0 and the flow velocity u, on random arrays, for VP schedules
 * and for the linear interpolant, against their definitions: every output is built from known
 * (x0, ε) and must give them back, and every pair of parameterisations must convert both ways.
 */
class ParameterizationTest {

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static Stream<GaussianPath> paths() {
        return Stream.of(NoiseSchedule.ddpm(), NoiseSchedule.cosine(), NoiseSchedule.vp(),
                LinearInterpolant.defaults());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void everyParameterisationConvertsToEveryOtherAndBack(GaussianPath path) {
        Noise noise = new Noise(17, DataType.DOUBLE);
        INDArray x0 = noise.normal(6, 3), eps = noise.normal(6, 3);
        for (double t : new double[] {0.02, 0.3, 0.77, 1.0}) {
            Coefficients c = path.coefficients(t);
            INDArray xt = path.addNoise(x0, eps, t);
            for (Parameterization from : Parameterization.values()) {
                if (c.alpha() == 0 && from == Parameterization.EPS) continue; // ε alone cannot give x0 there
                INDArray out = from.target(x0, eps, c);
                String where = path + " at t = " + t + ", from " + from;
                assertClose(x0, from.toX0(out, xt, c), 1e-9 * scale(path, t), where + ": x0");
                assertClose(eps, from.toEps(out, xt, c), 1e-9, where + ": ε");
                for (Parameterization to : Parameterization.values()) {
                    INDArray converted = from.convert(out, xt, c, to);
                    assertClose(to.target(x0, eps, c), converted, 1e-9 * scale(path, t), where + " to " + to);
                    if (c.alpha() == 0 && to == Parameterization.EPS) continue;
                    assertClose(out, to.convert(converted, xt, c, from), 1e-9 * scale(path, t), where + " and back");
                }
            }
        }
    }

    @Test
    void theVelocityOfTheLinearInterpolantIsNoiseMinusData() {
        Noise noise = new Noise(18, DataType.DOUBLE);
        INDArray x0 = noise.normal(4, 2), eps = noise.normal(4, 2);
        LinearInterpolant path = LinearInterpolant.defaults();
        for (double t : new double[] {0.0, 0.25, 1.0}) {
            assertClose(eps.sub(x0), Parameterization.U.target(x0, eps, path.coefficients(t)), 0, "t = " + t);
        }
    }

    /** On VP, α² + σ² = 1: x0 = α·x_t − σ·v and ε = σ·x_t + α·v (de Freitas 2026, eqs. 14–15). */
    @Test
    void vOnAVpScheduleConvertsAsSalimansAndHoWrite() {
        Noise noise = new Noise(19, DataType.DOUBLE);
        INDArray xt = noise.normal(5, 2), v = noise.normal(5, 2);
        NoiseSchedule schedule = NoiseSchedule.cosine();
        double t = 0.6, alpha = schedule.alpha(t), sigma = schedule.sigma(t);
        Coefficients c = schedule.coefficients(t);
        assertClose(xt.mul(alpha).sub(v.mul(sigma)), Parameterization.V.toX0(v, xt, c), 1e-12, "x0");
        assertClose(xt.mul(sigma).add(v.mul(alpha)), Parameterization.V.toEps(v, xt, c), 1e-12, "ε");
    }

    /**
     * The score from the velocity, de Freitas 2026, "Diffusion and flow matching tutorial",
     * eq. 35: ∇log p_t(z) = (1/σ)·(α·u − α'·z)/(α'·σ − α·σ'), and the score is −ε/σ.
     */
    @ParameterizedTest
    @MethodSource("paths")
    void scoreFromTheVelocityIsDeFreitasEquation35(GaussianPath path) {
        Noise noise = new Noise(20, DataType.DOUBLE);
        INDArray z = noise.normal(5, 2), u = noise.normal(5, 2);
        for (double t : new double[] {0.1, 0.5, 0.9}) {
            Coefficients c = path.coefficients(t);
            double alpha = c.alpha(), sigma = c.sigma(), dAlpha = c.alphaPrime(), dSigma = c.sigmaPrime();
            INDArray score = u.mul(alpha).sub(z.mul(dAlpha)).div(sigma * (dAlpha * sigma - alpha * dSigma));
            INDArray fromConversion = Parameterization.U.toEps(u, z, c).div(-sigma);
            double tolerance = 1e-9 * Math.max(1, score.amaxNumber().doubleValue());
            assertClose(score, fromConversion, tolerance, path + " t = " + t);
        }
    }

    @Test
    void anEpsOutputCannotGiveX0WhereAlphaIsZero() {
        INDArray x = new Noise(21, DataType.DOUBLE).normal(2, 2);
        Coefficients atNoise = LinearInterpolant.defaults().coefficients(1.0);
        var e = assertThrows(IllegalArgumentException.class, () -> Parameterization.EPS.toX0(x, x, atNoise));
        assertTrue(e.getMessage().contains("EPS"), e.getMessage());
    }

    /** x0 from an ε-output carries a 1/α: allow for it where α is small (VP schedules near t = 1). */
    private static double scale(GaussianPath path, double t) {
        double alpha = path.alpha(t);
        return alpha > 0 ? Math.max(1, 1 / alpha) : 1;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String message) {
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), tolerance, message);
    }
}
