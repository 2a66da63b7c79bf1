package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Locale;
import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.objective.GaussianDiffusion;
import org.diffusionplayground.model.objective.Objective;
import org.diffusionplayground.model.objective.RectifiedFlow;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.train.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 2-D side of {@code train}: the small MLP on {@value #POINTS} points of a toy dataset, by
 * {@code --objective}: diffusion (ε on DDPM's schedule), flow (the velocity u = ε − x0 on the
 * linear interpolant, independent pairs) or reflow (Liu et al. 2023's rectified flow on
 * {@value #POINTS} noise points paired with the ends of the dataset's exact flow ODE, RK4 on
 * {@value #ODE_STEPS} steps). Everything is drawn from {@code --seed}, so a resumed run rebuilds
 * the same data.
 */
final class PointTraining {

    static final int POINTS = 4096, ODE_STEPS = 100;
    static final String DIFFUSION = "diffusion", FLOW = "flow", REFLOW = "reflow";

    private PointTraining() {
    }

    static boolean isPoints(String dataset) {
        for (ToyDataset d : ToyDataset.values()) if (d.cliName().equals(dataset.trim().toLowerCase(Locale.ROOT))) return true;
        return false;
    }

    /** The MLP for {@code objective}. */
    static MlpConfig network(String objective) {
        return switch (check(objective)) {
            case DIFFUSION -> MlpConfig.points2d();
            default -> MlpConfig.flow2d();
        };
    }

    /** The objective of a 2-D run: {@code objective} on {@code dataset} (a checkpoint's config when resuming). */
    static Objective objective(NetworkConfig model, String objective, ToyDataset dataset, long seed) {
        if (!(model instanceof MlpConfig mlp)) throw new IllegalArgumentException(
                "a '%s' network is not a 2-D point model".formatted(model.architecture().id()));
        String o = check(objective);
        boolean flowNet = mlp.parameterization() == Parameterization.U;
        if (flowNet == o.equals(DIFFUSION)) throw new IllegalArgumentException(
                "--objective %s does not fit the model, which predicts %s".formatted(o, mlp.parameterization()));
        if (o.equals(REFLOW)) {
            return RectifiedFlow.reflow(dataset.mixture().oracle(LinearInterpolant.defaults(), Parameterization.U),
                    POINTS, ODE_STEPS, seed);
        }
        INDArray points = dataset.sample(POINTS, new Noise(seed ^ 0x2D_2D_2DL, DataType.FLOAT));
        float[][] rows = new float[POINTS][];
        for (int i = 0; i < POINTS; i++) rows[i] = HeapArrays.floats(points.getRow(i));
        return GaussianDiffusion.of(mlp, TrainingSet.points(rows));
    }

    /** 2-D defaults: a short warm-up, EMA 0.99 (runs of a few thousand steps), no label dropout. */
    static TrainConfig train(int steps, int batch, double lr, int checkpointEvery, long seed) {
        return new TrainConfig(steps, batch, lr, Math.min(50, steps / 10), 0.0, 0.99, 0.0, 0.0, checkpointEvery, 1.0, seed);
    }

    private static String check(String objective) {
        String o = objective.trim().toLowerCase(Locale.ROOT);
        if (!(o.equals(DIFFUSION) || o.equals(FLOW) || o.equals(REFLOW))) throw new IllegalArgumentException(
                "--objective must be diffusion, flow or reflow, got " + objective);
        return o;
    }
}
