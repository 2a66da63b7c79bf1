package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow matching as {@link GaussianDiffusion} on the linear interpolant with the U target
 * (Lipman et al. 2023, eq. 23; Liu et al. 2023, eq. 1): every example of a batch is
 * x_t = (1 − t)·x0 + t·ε with target ε − x0, so x_t − t·target is a data point and
 * x_t + (1 − t)·target is the noise, whose draws are N(0, 1).
 */
@ExtendWith(SingleThreadNd4j.class)
class FlowMatchingObjectiveTest {

    @Test
    void aFlowBatchRegressesTheVelocityEpsMinusX0OnTheInterpolant() {
        float[][] rows = {{1.5f, -0.5f}, {-2f, 0.25f}, {0.75f, 3f}};
        TrainingSet data = TrainingSet.points(rows);
        GaussianDiffusion flow = GaussianDiffusion.of(MlpConfig.flow2d(), data);
        assertTrue(flow.describe().contains("u-prediction") && flow.describe().contains(LinearInterpolant.NAME), flow.describe());
        TrainConfig config = new TrainConfig(10, 512, 1e-3, 0, 0, 0.99, 0, 0, 10, 1, 3);
        Batch batch = flow.batch(config, 0);
        float[] xt = batch.input().reshape(-1).toFloatVector(), target = batch.target().reshape(-1).toFloatVector();
        float[] t = batch.t().toFloatVector();
        double sum = 0, sumSq = 0;
        for (int j = 0; j < t.length; j++) {
            assertTrue(t[j] >= 1e-3 && t[j] <= 1, "t = " + t[j]);
            float x0x = xt[2 * j] - t[j] * target[2 * j], x0y = xt[2 * j + 1] - t[j] * target[2 * j + 1];
            double nearest = Double.MAX_VALUE;
            for (float[] r : rows) nearest = Math.min(nearest, Math.hypot(r[0] - x0x, r[1] - x0y));
            assertEquals(0, nearest, 1e-5, "x_t − t·target is a data point, example " + j);
            for (int i = 0; i < 2; i++) {
                double eps = xt[2 * j + i] + (1 - t[j]) * target[2 * j + i];
                sum += eps;
                sumSq += eps * eps;
            }
        }
        double n = 2.0 * t.length, mean = sum / n, var = sumSq / n - mean * mean;
        assertEquals(0, mean, 4 / Math.sqrt(n), "the noise has mean 0");          // 4 standard errors
        assertEquals(1, var, 4 * Math.sqrt(2 / n), "the noise has variance 1");
    }

    @Test
    void configsNameTheInterpolantAndRefuseUnknownPaths() {
        assertEquals(LinearInterpolant.NAME, MlpConfig.flow2d().noiseSchedule().name());
        UNetConfig unet = UNetConfig.small().asFlow();
        assertEquals(Parameterization.U, unet.parameterization());
        assertEquals(LinearInterpolant.NAME, unet.noiseSchedule().name());
        var e = assertThrows(IllegalArgumentException.class, () -> GaussianPath.named("rectified"));
        assertTrue(e.getMessage().contains("linear-interpolant") && e.getMessage().contains("ddpm"), e.getMessage());
        var minSnr = assertThrows(IllegalArgumentException.class, () -> GaussianDiffusion.of(MlpConfig.flow2d(),
                TrainingSet.points(new float[][] {{0, 0}})).batch(new TrainConfig(10, 4, 1e-3, 0, 0, 0.99, 5, 0, 10, 1, 3), 0));
        assertTrue(minSnr.getMessage().contains("not u"), minSnr.getMessage());
    }
}
