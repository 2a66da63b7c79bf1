package org.diffusionplayground.model.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact flow velocity û(x, t) = E[ẋ_t | x_t] of every toy mixture ({@link GaussianMixture#oracle}
 * in {@link Parameterization#U}) and the score–velocity relation ({@link Parameterization#toScore},
 * {@link Parameterization#fromScore}), checked against references written here from the mixture's
 * density alone: p_t(x) = Σ_k w_k·N(x; α·μ_k, (α²s_k² + σ²)·I), its score ∇log p_t by central
 * differences, and the continuity equation ∂p_t/∂t + ∇·(p_t·û) = 0 that a velocity field must
 * satisfy to carry p_t (Lipman et al. 2023, "Flow matching for generative modeling", eq. 4).
 */
@ExtendWith(SingleThreadNd4j.class)
class ExactVelocityTest {

    private static final LinearInterpolant PATH = LinearInterpolant.defaults();
    private static final double H = 1e-4;

    /** On one Gaussian, û = α'·μ + ((α·α'·s² + σ·σ')/(α²s² + σ²))·(x − α·μ), at every t including both ends. */
    @Test
    void theVelocityOfOneGaussianIsTheClosedForm() {
        double mx = 0.5, my = -0.3, s = 0.8;
        Denoiser flow = GaussianMixture.single(mx, my, s).oracle(PATH, Parameterization.U);
        INDArray x = new Noise(2, DataType.DOUBLE).normal(16, 2).muli(2);
        for (double t : new double[] {0, 0.1, 0.5, 0.9, 1}) {
            Coefficients c = PATH.coefficients(t);
            double a = c.alpha(), sg = c.sigma(), gain = (a * c.alphaPrime() * s * s + sg * c.sigmaPrime()) / (a * a * s * s + sg * sg);
            INDArray expected = x.subRowVector(Nd4j.createFromArray(a * mx, a * my)).muli(gain)
                    .addiRowVector(Nd4j.createFromArray(c.alphaPrime() * mx, c.alphaPrime() * my));
            assertEquals(0, flow.predict(x, t, null).sub(expected).amaxNumber().doubleValue(), 1e-12, "t = " + t);
        }
    }

    /** ∂p/∂t + ∇·(p·û) = 0 at 16 points and four times, by central differences, on every dataset. */
    @ParameterizedTest
    @EnumSource(ToyDataset.class)
    void theExactVelocityCarriesTheDensity(ToyDataset dataset) {
        GaussianMixture m = dataset.mixture();
        Denoiser flow = m.oracle(PATH, Parameterization.U);
        double[][] points = new Noise(4, DataType.DOUBLE).normal(16, 2).muli(1.5).toDoubleMatrix();
        for (double t : new double[] {0.2, 0.5, 0.8, 0.95}) {
            for (double[] p : points) {
                double dpdt = (density(m, PATH, p[0], p[1], t + H) - density(m, PATH, p[0], p[1], t - H)) / (2 * H);
                double div = (flux(m, flow, p[0] + H, p[1], t, 0) - flux(m, flow, p[0] - H, p[1], t, 0)) / (2 * H)
                        + (flux(m, flow, p[0], p[1] + H, t, 1) - flux(m, flow, p[0], p[1] - H, t, 1)) / (2 * H);
                double scale = Math.abs(dpdt) + Math.abs(div) + 1e-3 * density(m, PATH, p[0], p[1], t);
                assertEquals(0, (dpdt + div) / scale, 2e-4, // differences: ~5e-5 at points in the far tails
                        "%s at (%.2f, %.2f), t = %s: ∂p/∂t %.4e, ∇·(pu) %.4e".formatted(dataset, p[0], p[1], t, dpdt, div));
            }
        }
    }

    /**
     * The score from the oracle's velocity equals the score by differences of log p_t, and the
     * velocity from that score equals the oracle's: the two directions of de Freitas 2026, §7.4,
     * on the interpolant and on a VP schedule (where the oracle answers in ε).
     */
    @Test
    void scoreAndVelocityConvertBothWaysOnFlowAndDiffusionPaths() {
        GaussianMixture m = ToyDataset.RING8.mixture();
        double[][] points = new Noise(6, DataType.DOUBLE).normal(8, 2).muli(1.5).toDoubleMatrix();
        INDArray x = Nd4j.create(points);
        for (GaussianPath path : new GaussianPath[] {PATH, ScheduleKind.VP.create()}) {
            for (double t : new double[] {0.3, 0.7}) {
                Coefficients c = path.coefficients(t);
                INDArray score = Nd4j.create(DataType.DOUBLE, 8, 2);
                for (int i = 0; i < 8; i++) {
                    double px = points[i][0], py = points[i][1];
                    score.putScalar(i, 0, (Math.log(density(m, path, px + H, py, t)) - Math.log(density(m, path, px - H, py, t))) / (2 * H));
                    score.putScalar(i, 1, (Math.log(density(m, path, px, py + H, t)) - Math.log(density(m, path, px, py - H, t))) / (2 * H));
                }
                INDArray u = m.oracle(path, Parameterization.U).predict(x, t, null);
                INDArray eps = m.oracle(path).predict(x, t, null);
                String where = path.name() + " t = " + t;
                assertEquals(0, Parameterization.U.toScore(u, x, c).sub(score).amaxNumber().doubleValue(), 1e-6, "score from û, " + where);
                assertEquals(0, Parameterization.EPS.toScore(eps, x, c).sub(score).amaxNumber().doubleValue(), 1e-6, "score from ε̂, " + where);
                assertEquals(0, Parameterization.U.fromScore(score, x, c).sub(u).amaxNumber().doubleValue(), 1e-6, "û from the score, " + where);
            }
        }
    }

    /** Where α = 0 the score is −x whatever the data, so it gives no velocity; at σ = 0 there is no score. */
    @Test
    void theScoreRelationIsRefusedWhereItIsUndefined() {
        INDArray x = Nd4j.create(new double[][] {{0.3, -0.2}});
        var atNoise = assertThrows(IllegalArgumentException.class,
                () -> Parameterization.U.fromScore(x.neg(), x, PATH.coefficients(1)));
        assertTrue(atNoise.getMessage().contains("α = 0"), atNoise.getMessage());
        var atData = assertThrows(IllegalArgumentException.class,
                () -> Parameterization.U.toScore(x, x, PATH.coefficients(0)));
        assertTrue(atData.getMessage().contains("σ = 0"), atData.getMessage());
    }

    /** p_t(x, y) = Σ_k w_k·N((x, y); α·μ_k, v_k·I), v_k = α²s_k² + σ². */
    static double density(GaussianMixture m, GaussianPath path, double x, double y, double t) {
        double alpha = path.alpha(t), sigma = path.sigma(t), p = 0;
        for (int k = 0; k < m.components(); k++) {
            double v = alpha * alpha * m.std(k) * m.std(k) + sigma * sigma;
            double dx = x - alpha * m.mean(k)[0], dy = y - alpha * m.mean(k)[1];
            p += m.weight(k) * Math.exp(-(dx * dx + dy * dy) / (2 * v)) / (2 * Math.PI * v);
        }
        return p;
    }

    /** Coordinate {@code axis} of p_t·û at (x, y). */
    private static double flux(GaussianMixture m, Denoiser flow, double x, double y, double t, int axis) {
        INDArray u = flow.predict(Nd4j.create(new double[][] {{x, y}}), t, null);
        return density(m, PATH, x, y, t) * u.getDouble(0, axis);
    }
}
