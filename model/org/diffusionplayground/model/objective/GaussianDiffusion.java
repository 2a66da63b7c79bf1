package org.diffusionplayground.model.objective;

import org.diffusionplayground.model.nn.NetworkConfig;
import org.diffusionplayground.model.data.TrainingSet;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.nn.DenoiserConfig;
import org.diffusionplayground.model.nn.Loss;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.Coefficients;
import org.diffusionplayground.model.schedule.GaussianPath;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.train.ExampleOrder;
import org.diffusionplayground.model.train.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gaussian diffusion's training objective (Ho, Jain &amp; Abbeel 2020, "Denoising diffusion
 * probabilistic models", Algorithm 1, in continuous time): per example t ~ U[1/T, 1],
 * ε ~ N(0, I), x_t = α_t·x0 + σ_t·ε; the network regresses the target of its parameterisation
 * (ε, v = α_t·ε − σ_t·x0, x0, or the velocity u = α'_t·x0 + σ'_t·ε) with the {@link MeanSquaredError}, each example weighted 1 or
 * by min-SNR-γ (Hang et al. 2023, "Efficient diffusion training via min-SNR weighting", §3.4):
 * min(SNR, γ)/SNR for ε, min(SNR, γ)/(SNR + 1) for v, min(SNR, γ) for x0. A label is replaced by
 * the null class with probability {@code labelDropout} (Ho &amp; Salimans 2022, "Classifier-free
 * diffusion guidance", Algorithm 1).
 *
 * <p>Flow matching is this objective on the {@link org.diffusionplayground.model.schedule.LinearInterpolant}
 * with the U target: x_t = (1 − t)·x0 + t·ε and the network regresses u = ε − x0, the conditional
 * flow-matching loss ‖û(x_t, t) − (ε − x0)‖² (Lipman, Chen, Ben-Hamu, Nickel &amp; Le 2023, "Flow
 * matching for generative modeling", eq. 23 with σ_min = 0; Liu, Gong &amp; Liu 2023, "Flow
 * straight and fast", eq. 1, the rectified-flow loss). Time convention: de Freitas 2026
 * ("Diffusion and flow matching tutorial") derives it in ours (§7.2: t = 0 data, t = 1 noise,
 * target ε − x) and then, like Lipman et al. and Liu et al., runs his code with τ = 1 − t
 * (τ = 0 noise, τ = 1 data) and the target x − ε = dx/dτ; a model trained that way is ours
 * with its output negated and evaluated at τ = 1 − t. Samples then run t = 1 → 0 through any
 * sampler ({@code sampling.solvers}: the flow integrators in t, or DDIM and DPM-Solver through α, σ).
 *
 * <p>Batch k draws everything from a {@link Noise} seeded by (seed, k) in a fixed order — label
 * dropout per example, then ε for the whole batch, then t per example — so checkpoints of runs
 * begun before this class existed resume on the same batches.
 */
public final class GaussianDiffusion implements Objective {

    private static final MeanSquaredError LOSS = new MeanSquaredError();

    private final GaussianPath schedule;
    private final Parameterization parameterization;
    private final int numClasses;
    private final TrainingSet data;
    private ExampleOrder order;
    private long orderSeed;
    private int orderSize;

    public GaussianDiffusion(GaussianPath schedule, Parameterization parameterization, int numClasses, TrainingSet data) {
        if (numClasses > 0 && data.numClasses() > numClasses) throw new IllegalArgumentException(
                "the data has %d classes, the model %d".formatted(data.numClasses(), numClasses));
        this.data = data;
        this.schedule = schedule;
        this.parameterization = parameterization;
        this.numClasses = numClasses;
    }

    /** The objective a denoiser of this config is trained with on {@code data} (a checkpoint's, when resuming). */
    public static GaussianDiffusion of(NetworkConfig model, TrainingSet data) {
        if (!(model instanceof DenoiserConfig d)) throw new IllegalArgumentException(
                "a '%s' network is not a Gaussian denoiser".formatted(model.architecture().id()));
        return new GaussianDiffusion(d.noiseSchedule(), d.parameterization(), d.numClasses(), data);
    }

    @Override
    public Batch batch(TrainConfig config, int k) {
        int b = config.batch(), n = data.exampleLength();
        Noise noise = new Noise(config.seed() ^ (0x9E3779B97F4A7C15L * (k + 1L)));
        ExampleOrder examples = order(config.seed(), data.size());
        float[] x0 = new float[b * n];
        int[] labels = new int[b];
        for (int j = 0; j < b; j++) {
            int index = examples.at((long) k * b + j);
            data.copyExample(index, x0, j * n);
            labels[j] = noise.uniform() < config.labelDropout() ? numClasses : data.label(index);
        }
        float[] eps = noise.normalFloats(b * n);
        float[] xt = new float[b * n], target = new float[b * n], t = new float[b], weight = new float[b];
        double tMin = 1.0 / schedule.steps();
        for (int j = 0; j < b; j++) {
            double tj = tMin + noise.uniform() * (1 - tMin);
            Coefficients c = schedule.coefficients(tj);
            double alpha = c.alpha(), sigma = c.sigma(), a = parameterization.x0Weight(c), e = parameterization.epsWeight(c);
            t[j] = (float) tj;
            weight[j] = (float) lossWeight(Math.exp(schedule.logSnr(tj)), config.minSnrGamma());
            for (int i = j * n; i < (j + 1) * n; i++) {
                xt[i] = (float) (alpha * x0[i] + sigma * eps[i]);
                target[i] = switch (parameterization) { // a·x0 + b·ε, the exact value where a or b is 0
                    case EPS -> eps[i];
                    case X0 -> x0[i];
                    default -> (float) (a * x0[i] + e * eps[i]);
                };
            }
        }
        long[] shape = shape(b, data.exampleShape());
        return new Batch(Nd4j.create(xt, shape, 'c'), Nd4j.create(t, new long[] {b}, 'c'),
                numClasses == 0 ? null : Nd4j.createFromArray(labels).castTo(DataType.INT32),
                Nd4j.create(target, shape, 'c'), Nd4j.create(weight, new long[] {b}, 'c'));
    }

    @Override
    public Loss loss() {
        return LOSS;
    }

    @Override
    public String describe() {
        return "Gaussian diffusion, %s-prediction, %s".formatted(parameterization.name().toLowerCase(java.util.Locale.ROOT),
                schedule.name());
    }

    private double lossWeight(double snr, double gamma) {
        if (gamma == 0) return 1;
        return switch (parameterization) {
            case EPS -> Math.min(snr, gamma) / snr;
            case V -> Math.min(snr, gamma) / (snr + 1);
            case X0 -> Math.min(snr, gamma);
            case U -> throw new IllegalArgumentException("min-SNR-γ weighting is defined for ε, v and x0 targets, not u");
        };
    }

    private ExampleOrder order(long seed, int size) {
        if (order == null || orderSeed != seed || orderSize != size) {
            order = new ExampleOrder(seed, size);
            orderSeed = seed;
            orderSize = size;
        }
        return order;
    }

    static long[] shape(int b, long[] example) {
        long[] shape = new long[example.length + 1];
        shape[0] = b;
        System.arraycopy(example, 0, shape, 1, example.length);
        return shape;
    }
}
