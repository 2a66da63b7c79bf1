package org.diffusionplayground.model.train;

import org.diffusionplayground.model.data.TrainingImages;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.Parameterization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training batches of a run, as one iterator for a single {@code sd.fit(iterator, 1)} call.
 * Batch k is a pure function of (seed, k): its images come from a per-epoch permutation seeded by
 * (seed, epoch), and its times, noise and label dropout from a {@link Noise} seeded by (seed, k).
 * So the "RNG state" of a run is just its step, and a resumed run sees the same batches.
 *
 * <p>Per example (Ho et al. 2020, Alg. 1, in continuous time): t ~ U[1/T, 1], ε ~ N(0, I),
 * x_t = α_t·x0 + σ_t·ε; target ε (EPS) or v = α_t·ε − σ_t·x0 (V); weight 1, or min-SNR-γ
 * (Hang et al. 2023, §3.4): min(SNR, γ)/SNR for ε and min(SNR, γ)/(SNR + 1) for v.
 * Features: x [B,1,28,28], t [B], label [B] (INT32); labels: target [B,1,28,28], weight [B].
 */
final class NoisedBatches implements MultiDataSetIterator {

    private final TrainingImages data;
    private final TrainConfig config;
    private final NoiseSchedule schedule;
    private final Parameterization parameterization;
    private final int nullClass;
    private final int endStep;
    private final BooleanSupplier proceed;
    private int step;
    private int permEpoch = -1;
    private int[] perm;

    /**
     * @param proceed asked before every batch; blocks while paused, false to stop the run
     */
    NoisedBatches(TrainingImages data, TrainConfig config, NoiseSchedule schedule, Parameterization parameterization,
                  int nullClass, int startStep, BooleanSupplier proceed) {
        this.data = data;
        this.config = config;
        this.schedule = schedule;
        this.parameterization = parameterization;
        this.nullClass = nullClass;
        this.step = startStep;
        this.endStep = config.steps();
        this.proceed = proceed;
    }

    @Override
    public boolean hasNext() {
        return step < endStep && proceed.getAsBoolean();
    }

    @Override
    public MultiDataSet next() {
        MultiDataSet batch = batch(step);
        step++;
        return batch;
    }

    /** Batch number k of this run (0-based). */
    MultiDataSet batch(int k) {
        int b = config.batch(), n = data.size(), px = TrainingImages.PIXELS;
        Noise noise = new Noise(config.seed() ^ (0x9E3779B97F4A7C15L * (k + 1L)));
        float[] x0 = new float[b * px];
        int[] labels = new int[b];
        for (int j = 0; j < b; j++) {
            long position = (long) k * b + j;
            int index = permutation((int) (position / n))[(int) (position % n)];
            data.copyImage(index, x0, j * px);
            labels[j] = noise.uniform() < config.labelDropout() ? nullClass : data.label(index);
        }
        float[] eps = noise.normal(b * px).toFloatVector();
        float[] xt = new float[b * px], target = new float[b * px], t = new float[b], weight = new float[b];
        double tMin = 1.0 / schedule.steps();
        for (int j = 0; j < b; j++) {
            double tj = tMin + noise.uniform() * (1 - tMin);
            double alpha = schedule.alpha(tj), sigma = schedule.sigma(tj), snr = schedule.snr(tj);
            t[j] = (float) tj;
            weight[j] = (float) lossWeight(snr);
            for (int i = j * px; i < (j + 1) * px; i++) {
                xt[i] = (float) (alpha * x0[i] + sigma * eps[i]);
                target[i] = parameterization == Parameterization.V ? (float) (alpha * eps[i] - sigma * x0[i]) : eps[i];
            }
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(
                new org.nd4j.linalg.api.ndarray.INDArray[] {
                        Nd4j.create(xt, new long[] {b, 1, 28, 28}, 'c'),
                        Nd4j.create(t, new long[] {b}, 'c'),
                        Nd4j.createFromArray(labels).castTo(DataType.INT32)},
                new org.nd4j.linalg.api.ndarray.INDArray[] {
                        Nd4j.create(target, new long[] {b, 1, 28, 28}, 'c'),
                        Nd4j.create(weight, new long[] {b}, 'c')});
    }

    private double lossWeight(double snr) {
        double gamma = config.minSnrGamma();
        if (gamma == 0) return 1;
        return parameterization == Parameterization.V ? Math.min(snr, gamma) / (snr + 1) : Math.min(snr, gamma) / snr;
    }

    private int[] permutation(int epoch) {
        if (epoch != permEpoch) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(config.seed() * 31 + epoch);
            perm = new int[data.size()];
            for (int i = 0; i < perm.length; i++) perm[i] = i;
            for (int i = perm.length - 1; i > 0; i--) { // Fisher–Yates
                int j = random.nextInt(i + 1), tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            permEpoch = epoch;
        }
        return perm;
    }

    @Override public MultiDataSet next(int num) { return next(); }

    @Override public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new IllegalStateException("NoisedBatches takes no preprocessor");
    }

    @Override public MultiDataSetPreProcessor getPreProcessor() { return null; }

    @Override public boolean resetSupported() { return false; }

    /** Synchronous: pausing and stopping act between steps, and nothing runs ahead of the model. */
    @Override public boolean asyncSupported() { return false; }

    @Override public void reset() {
        throw new IllegalStateException("a training run's batches cannot be replayed; resume from a checkpoint");
    }
}
