package org.diffusionplayground.model.sampling;

import org.diffusionplayground.model.sampling.solvers.Ddim;
import org.diffusionplayground.model.schedule.Spacing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** x̂0 clipping against its definitions, on the exact denoiser of N(1.5, 0.5²) data (x̂0 often > 1). */
@ExtendWith(SingleThreadNd4j.class)
class X0ClipTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.ddpm();
    private static final GaussianDenoiser EXACT = new GaussianDenoiser(SCHEDULE, 1.5, 0.5);

    /** The same exact denoiser answering in v: v = α·ε − σ·x̂0. */
    private record VDenoiser(GaussianDenoiser eps) implements Denoiser {
        @Override
        public INDArray predict(INDArray x, double t, INDArray cond) {
            Coefficients c = SCHEDULE.coefficients(t);
            INDArray e = eps.predict(x, t, cond);
            return Parameterization.V.target(Parameterization.EPS.toX0(e, x, c), e, c);
        }

        @Override public Parameterization parameterization() { return Parameterization.V; }

        @Override public NoiseSchedule schedule() { return SCHEDULE; }
    }

    @Test
    void staticClipGivesTheClippedExactX0AndTheNoiseItImpliesInBothParameterisations() {
        INDArray x = new Noise(1, DataType.DOUBLE).normal(64, 3);
        double t = 0.3, alpha = SCHEDULE.alpha(t), sigma = SCHEDULE.sigma(t);
        INDArray raw = EXACT.posteriorMean(x, t);
        assertTrue(raw.maxNumber().doubleValue() > 1.2, "the raw x̂0 leaves [−1, 1]");
        INDArray expected = Transforms.min(Transforms.max(raw, -1), 1);
        for (Denoiser d : new Denoiser[] {EXACT, new VDenoiser(EXACT)}) {
            Prediction p = ModelFn.unconditional(X0Clip.STATIC.wrap(d)).at(x, t);
            assertEquals(0.0, p.predX0().sub(expected).amaxNumber().doubleValue(), 1e-9, d.parameterization() + " x̂0");
            // x_t = α·x̂0' + σ·ε': the clipped pair still explains x_t
            assertEquals(0.0, p.predX0().mul(alpha).add(p.eps().mul(sigma)).sub(x).amaxNumber().doubleValue(), 1e-9);
        }
    }

    @Test
    void dynamicThresholdDividesByThe995thPercentileOfEachSampleAndLeavesInRangeSamplesAlone() {
        double[][] rows = new double[2][1000];
        for (int i = 0; i < 1000; i++) {
            rows[0][i] = (i - 500) / 100.0;
            rows[1][i] = (i - 500) / 600.0; // within [−1, 1]: s = max(1, ·) = 1, unchanged
        }
        INDArray out = X0Clip.DYNAMIC.apply(Nd4j.createFromArray(rows));
        // |x| sorted ascending: 0, then k/100 twice for k = 1…499 (indices 2k−1, 2k), then 5.00;
        // the percentile's index floor(0.995·1000) = 995 = 2·498 − 1, so s = 4.98
        double s = 4.98;
        for (int i = 0; i < 1000; i++) {
            assertEquals(Math.max(-s, Math.min(s, rows[0][i])) / s, out.getDouble(0, i), 1e-12, "row 0 at " + i);
            assertEquals(rows[1][i], out.getDouble(1, i), 1e-12, "row 1 at " + i);
        }
    }

    @Test
    void noneIsTheDenoiserItselfAndNamesParse() {
        assertSame(EXACT, X0Clip.NONE.wrap(EXACT));
        assertEquals(X0Clip.DYNAMIC, X0Clip.parse(" Dynamic "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> X0Clip.parse("soft"));
        assertTrue(e.getMessage().contains("none, static, dynamic"), e.getMessage());
    }

    @Test
    void clippedDdimSamplesOfOutOfRangeDataStayInRange() {
        INDArray xT = new Noise(3, DataType.DOUBLE).normal(500, 2);
        double[] times = Spacing.LOGSNR.times(SCHEDULE, 20);
        INDArray raw = org.diffusionplayground.model.sampling.SamplingLoop.run(new Ddim(0, new Noise(4)), ModelFn.unconditional(EXACT),
                xT, times).x();
        INDArray clipped = org.diffusionplayground.model.sampling.SamplingLoop.run(new Ddim(0, new Noise(4)),
                ModelFn.unconditional(X0Clip.STATIC.wrap(EXACT)), xT, times).x();
        assertTrue(raw.maxNumber().doubleValue() > 2, "unclipped samples follow the data: mean 1.5");
        assertTrue(clipped.maxNumber().doubleValue() <= 1 + 1e-9 && clipped.minNumber().doubleValue() >= -1 - 1e-9,
                "clipped samples end in [−1, 1]: " + clipped.minNumber() + " … " + clipped.maxNumber());
    }
}
