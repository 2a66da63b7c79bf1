package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.HeapArrays;
import java.util.Arrays;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.diffusionplayground.model.sampling.solvers.RungeKutta4;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.train.ExampleOrder;
import org.diffusionplayground.model.train.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flow matching on a fixed coupling of data and noise, (x0_i, ε_i): per example a pair i,
 * t ~ U[1/T, 1], x_t = (1 − t)·x0_i + t·ε_i and the target u = ε_i − x0_i (Liu, Gong &amp; Liu
 * 2023, "Flow straight and fast: learning to generate and transfer data with rectified flow",
 * eq. 1 on a given coupling). With independent pairs this is plain flow matching; {@link #reflow}
 * builds the coupling of their Algorithm 1 ("reflow"): ε_i paired with where the flow ODE takes it,
 * x0_i = Φ(ε_i). Trained on that coupling, the velocity field's paths cross less and straighten
 * (their Theorem 3.7), so one or two Euler steps sample well.
 *
 * <p>Batch k draws from a {@link Noise} seeded by (seed, k) — the pairs through an
 * {@link ExampleOrder} of the seed, then t per example — so a resumed run sees the same batches.
 */
public final class RectifiedFlow implements Objective {

    private static final MeanSquaredError LOSS = new MeanSquaredError();

    private final LinearInterpolant path;
    private final float[] x0;   // [n, d]
    private final float[] eps;  // [n, d]
    private final int n, dim;
    private ExampleOrder order;
    private long orderSeed;

    /**
     * @param x0  the data end of each pair, [n, d]
     * @param eps the noise end of each pair, [n, d]
     */
    public RectifiedFlow(LinearInterpolant path, INDArray x0, INDArray eps) {
        if (x0.rank() != 2 || !Arrays.equals(x0.shape(), eps.shape())) throw new IllegalArgumentException(
                "x0 %s and eps %s must both be [n, d]".formatted(Arrays.toString(x0.shape()), Arrays.toString(eps.shape())));
        this.path = path;
        this.n = (int) x0.size(0);
        this.dim = (int) x0.size(1);
        this.x0 = HeapArrays.floats(x0);
        this.eps = HeapArrays.floats(eps);
    }

    /**
     * Liu et al.'s reflow coupling of {@code flow} (a model on the linear interpolant, its own
     * velocity or any other output): n noise points ε_i ~ N(0, I) from {@code seed}, each paired
     * with the end of its flow ODE, integrated by RK4 on {@code odeSteps} uniform steps.
     */
    public static RectifiedFlow reflow(Denoiser flow, int n, int odeSteps, long seed) {
        if (!(flow.schedule() instanceof LinearInterpolant interpolant)) throw new IllegalArgumentException(
                "reflow needs a model on the linear interpolant, not on %s".formatted(flow.schedule()));
        if (n < 1) throw new IllegalArgumentException("n (%d) must be ≥ 1".formatted(n));
        INDArray eps = new Noise(seed, DataType.DOUBLE).normal(n, 2);
        INDArray x0 = SamplingLoop.run(new RungeKutta4(), ModelFn.unconditional(flow), eps, TimeGrid.uniform(odeSteps)).x();
        return new RectifiedFlow(interpolant, x0, eps);
    }

    /** The data ends of the pairs, [n, d] (a copy). */
    public INDArray x0() { return Nd4j.create(x0.clone(), new long[] {n, dim}, 'c'); }

    /** The noise ends of the pairs, [n, d] (a copy). */
    public INDArray eps() { return Nd4j.create(eps.clone(), new long[] {n, dim}, 'c'); }

    @Override
    public Batch batch(TrainConfig config, int k) {
        int b = config.batch();
        Noise noise = new Noise(config.seed() ^ (0x9E3779B97F4A7C15L * (k + 1L)));
        if (order == null || orderSeed != config.seed()) {
            order = new ExampleOrder(config.seed(), n);
            orderSeed = config.seed();
        }
        float[] xt = new float[b * dim], target = new float[b * dim], t = new float[b], weight = new float[b];
        double tMin = 1.0 / path.steps();
        for (int j = 0; j < b; j++) {
            int i = order.at((long) k * b + j);
            double tj = tMin + noise.uniform() * (1 - tMin);
            t[j] = (float) tj;
            weight[j] = 1;
            for (int c = 0; c < dim; c++) {
                float a = x0[i * dim + c], e = eps[i * dim + c];
                xt[j * dim + c] = (float) ((1 - tj) * a + tj * e);
                target[j * dim + c] = e - a;
            }
        }
        long[] shape = {b, dim};
        return new Batch(Nd4j.create(xt, shape, 'c'), Nd4j.create(t, new long[] {b}, 'c'), null,
                Nd4j.create(target, shape, 'c'), Nd4j.create(weight, new long[] {b}, 'c'));
    }

    @Override
    public Loss loss() {
        return LOSS;
    }

    @Override
    public String describe() {
        return "rectified flow on %d coupled pairs, %s".formatted(n, path.name());
    }
}
