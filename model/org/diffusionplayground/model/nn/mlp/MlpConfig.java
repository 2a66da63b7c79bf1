package org.diffusionplayground.model.nn.mlp;

import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.DenoiserConfig;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * The shape of a small MLP denoiser for low-dimensional points (see {@link Mlp}): the point's
 * dimension, the hidden width and number of hidden layers, the width of the sinusoidal time
 * features, the number of classes (0 = unconditional; else the null class is index numClasses),
 * what it predicts and the path it is trained under (a {@link ScheduleKind} name or
 * "linear-interpolant", see {@link GaussianPath#named}).
 */
public record MlpConfig(int dim, int hidden, int depth, int timeFeatures, int numClasses,
                        Parameterization parameterization, String schedule) implements DenoiserConfig {

    public MlpConfig {
        if (dim < 1 || dim > 64) throw new IllegalArgumentException("dim (%d) must be in [1, 64]".formatted(dim));
        if (hidden < 1 || hidden > 4096) throw new IllegalArgumentException("hidden (%d) must be in [1, 4096]".formatted(hidden));
        if (depth < 1 || depth > 16) throw new IllegalArgumentException("depth (%d) must be in [1, 16]".formatted(depth));
        if (timeFeatures < 2 || timeFeatures % 2 != 0) throw new IllegalArgumentException(
                "timeFeatures (%d) must be even and ≥ 2".formatted(timeFeatures));
        if (numClasses < 0 || numClasses > 1000) throw new IllegalArgumentException(
                "numClasses (%d) must be in [0, 1000]".formatted(numClasses));
        if (parameterization == null) throw new IllegalArgumentException("parameterization must be given");
        if (schedule == null) throw new IllegalArgumentException("schedule must be given");
        GaussianPath.named(schedule); // names the valid ones if wrong
    }

    /** A 2-D point denoiser: 3 hidden layers of 128, 32 time features, ε-prediction on DDPM's linear schedule. */
    public static MlpConfig points2d() {
        return new MlpConfig(2, 128, 3, 32, 0, Parameterization.EPS, ScheduleKind.DDPM.cliName());
    }

    /**
     * A 2-D flow-matching model: {@link #points2d()}'s network predicting the velocity
     * u = ε − x0 on the linear interpolant.
     */
    public static MlpConfig flow2d() {
        return new MlpConfig(2, 128, 3, 32, 0, Parameterization.U, LinearInterpolant.NAME);
    }

    /** The width of the first layer's input: the point, its time features, the class one-hot. */
    public int inputWidth() {
        return dim + timeFeatures + (numClasses > 0 ? numClasses + 1 : 0);
    }

    @Override
    public Architecture architecture() {
        return Architecture.MLP;
    }

    @Override
    public Mlp create(long seed) {
        return new Mlp(this, seed);
    }

    @Override
    public GaussianPath noiseSchedule() {
        return GaussianPath.named(schedule);
    }
}
