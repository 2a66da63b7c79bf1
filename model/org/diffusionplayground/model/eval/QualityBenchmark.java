package org.diffusionplayground.model.eval;

import org.diffusionplayground.model.sampling.ChunkedRun;
import org.diffusionplayground.model.sampling.SamplerRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.eval.FrechetDistance.Moments;
import org.diffusionplayground.model.data.DigitImages;
import org.diffusionplayground.model.sampling.ClassChoice;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Denoiser;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sampler × steps × guidance on a class-conditional MNIST model: FID-lite, classifier accuracy,
 * NFE and seconds per cell.
 * <ul>
 *   <li>Generated: n digits, labels k mod 10 (balanced), guided by classifier-free guidance
 *       with weight w (w = 1: the plain conditional model), from the same x_T in every cell.</li>
 *   <li>FID-lite: the Fréchet distance (Heusel et al. 2017, eq. 6) between Gaussians fitted to
 *       the {@link MnistClassifier}'s 64-d penultimate features of the generated digits and of n
 *       real digits drawn from the bundled set's held-out images 8000…8999, which the classifier
 *       never trained on. Like FID it is biased upward at small n, so it is only comparable at
 *       equal n: the floor row scores another n real held-out digits, disjoint from the first,
 *       in the same way. A cell near the floor is as close to real digits as real digits are.</li>
 *   <li>Accuracy: the classifier's predictions on the generated digits vs the requested class.</li>
 * </ul>
 * Deterministic for a given seed. Cells run in chunks of {@code batch} digits (the guided
 * model's passes are 2·batch), so memory stays flat at any n.
 */
public final class QualityBenchmark {

    public static final int HELD_OUT_FROM = 8000, HELD_OUT_TO = 9000;
    public static final int CLASSES = 10;
    /** The floor needs two disjoint sets of n held-out digits. */
    public static final int MAX_N = (HELD_OUT_TO - HELD_OUT_FROM) / 2;
    public static final List<SamplerKind> DEFAULT_SAMPLERS =
            List.of(SamplerKind.DDIM, SamplerKind.DPM_SOLVER_PP, SamplerKind.HEUN, SamplerKind.DDPM);
    public static final List<Integer> DEFAULT_STEPS = List.of(10, 20, 50);
    public static final List<Double> DEFAULT_GUIDANCE = List.of(1.0, 3.0);

    private QualityBenchmark() {
    }

    /** One cell of the table. */
    public record Case(SamplerKind sampler, int steps, double guidance) {
        public Case {
            Objects.requireNonNull(sampler, "sampler");
            if (steps < 1) throw new IllegalArgumentException("steps (%d) must be ≥ 1".formatted(steps));
            if (!(guidance >= 0 && guidance <= 50)) {
                throw new IllegalArgumentException("guidance (%s) must be in [0, 50]".formatted(guidance));
            }
        }
    }

    /**
     * @param cases   what to run, in order
     * @param spacing one spacing for every case
     * @param options η, order, DDPM variance for every case
     * @param n       generated digits per cell, and real digits in the reference and floor sets
     * @param batch   digits per sampling chunk
     * @param seed    seeds x_T, the sampler noise and which held-out digits are drawn
     * @param bootstrap resamples for each FID-lite's spread ({@link FrechetDistance#bootstrapSpread}); 0: none
     */
    public record Config(List<Case> cases, Spacing spacing, SamplerOptions options, int n, int batch, long seed,
                         int bootstrap) {
        public Config {
            if (bootstrap != 0 && (bootstrap < 2 || bootstrap > 1000)) {
                throw new IllegalArgumentException("bootstrap (%d) must be 0 or in [2, 1000]".formatted(bootstrap));
            }
            cases = List.copyOf(cases);
            Objects.requireNonNull(spacing, "spacing");
            Objects.requireNonNull(options, "options");
            if (cases.isEmpty()) throw new IllegalArgumentException("no cases to run");
            if (n < 2 * CLASSES || n > MAX_N) {
                throw new IllegalArgumentException("n (%d) must be in [%d, %d]".formatted(n, 2 * CLASSES, MAX_N));
            }
            if (batch < 1 || batch > 1024) throw new IllegalArgumentException("batch (%d) must be in [1, 1024]".formatted(batch));
        }

        /** Without the spread. */
        public Config(List<Case> cases, Spacing spacing, SamplerOptions options, int n, int batch, long seed) {
            this(cases, spacing, options, n, batch, seed, 0);
        }

        public Config withBootstrap(int rounds) {
            return new Config(cases, spacing, options, n, batch, seed, rounds);
        }

        /** {@link #DEFAULT_SAMPLERS} × {@link #DEFAULT_STEPS} × {@link #DEFAULT_GUIDANCE}, log-SNR spacing, n = 200. */
        public static Config defaults() {
            return new Config(grid(DEFAULT_SAMPLERS, DEFAULT_STEPS, DEFAULT_GUIDANCE), Spacing.LOGSNR,
                    SamplerOptions.defaults(), 200, 100, 0);
        }
    }

    /**
     * Real vs real: the FID-lite floor and the classifier's accuracy on the real reference digits;
     * {@code fidLiteSpread} is its bootstrap standard deviation (NaN without {@link Config#bootstrap}).
     */
    public record Floor(int n, double fidLite, double accuracy, double fidLiteSpread) {
    }

    /** One cell; {@code fidLiteSpread} is the bootstrap standard deviation of its FID-lite (NaN without). */
    public record Row(Case cell, int nfe, double fidLite, double accuracy, double seconds, double fidLiteSpread) {
    }

    /** Receives the floor first, then each row as it finishes (on the caller's thread). */
    public interface Listener {
        default void onFloor(Floor floor) {
        }

        default void onRow(Row row) {
        }
    }

    public static List<Case> grid(List<SamplerKind> samplers, List<Integer> steps, List<Double> guidances) {
        List<Case> cases = new ArrayList<>();
        for (SamplerKind s : samplers) for (int k : steps) for (double w : guidances) cases.add(new Case(s, k, w));
        return cases;
    }

    /**
     * Runs every case on {@code model} (conditional, 10 classes, images [B, 1, 28, 28]), stopping
     * between cells when {@code cancelled} says so, and returns the rows done.
     *
     * @param data the bundled MNIST subset (its held-out images are the reference)
     */
    public static List<Row> run(Denoiser model, MnistClassifier classifier, MnistDataset data, Config config,
                                Listener listener, BooleanSupplier cancelled) {
        check(model, data, config);
        int[] heldOut = shuffledHeldOut(config.seed());
        int[] referenceIdx = Arrays.copyOfRange(heldOut, 0, config.n());
        int[] otherIdx = Arrays.copyOfRange(heldOut, config.n(), 2 * config.n());
        INDArray reference = unitImages(data, referenceIdx);
        double[][] referenceFeatures = features(classifier, reference), otherFeatures = features(classifier, unitImages(data, otherIdx));
        Moments referenceMoments = Moments.of(referenceFeatures);
        double floorFid = FrechetDistance.between(referenceMoments, Moments.of(otherFeatures));
        listener.onFloor(new Floor(config.n(), floorFid, accuracy(classifier.predict(reference), labels(data, referenceIdx)),
                spread(config, otherFeatures, referenceFeatures, -1)));

        int[] requested = ClassChoice.labels(ClassChoice.EACH, config.n(), CLASSES);
        warmUp(model);
        List<Row> rows = new ArrayList<>();
        for (Case c : config.cases()) {
            if (cancelled.getAsBoolean()) break;
            SamplerRun recipe = new SamplerRun(c.sampler(), config.options(), config.spacing(), c.steps(), c.guidance(),
                    X0Clip.NONE);
            ChunkedRun.Result r = ChunkedRun.run(recipe, model, requested, config.n(), new long[] {1, 28, 28},
                    config.batch(), config.seed(), cancelled);
            if (r.cancelled()) break;
            INDArray generated = DigitImages.toUnit(r.x());
            double[][] generatedFeatures = features(classifier, generated);
            double fid = FrechetDistance.between(Moments.of(generatedFeatures), referenceMoments);
            Row row = new Row(c, r.nfe(), fid, accuracy(classifier.predict(generated), requested), r.seconds(),
                    spread(config, generatedFeatures, referenceFeatures, rows.size()));
            rows.add(row);
            listener.onRow(row);
        }
        return rows;
    }

    /** The bootstrap spread of a cell's FID-lite (cell −1: the floor), seeded by the config's seed and the cell. */
    private static double spread(Config config, double[][] generated, double[][] reference, int cell) {
        return config.bootstrap() == 0 ? Double.NaN
                : FrechetDistance.bootstrapSpread(generated, reference, config.bootstrap(), config.seed() * 31 + cell);
    }

    private static void check(Denoiser model, MnistDataset data, Config config) {
        if (model.numClasses() != CLASSES) {
            throw new IllegalArgumentException("the model has %d classes; the quality benchmark needs a %d-class MNIST model"
                    .formatted(model.numClasses(), CLASSES));
        }
        boolean guided = config.cases().stream().anyMatch(c -> c.guidance() != 1);
        if (guided && model.nullClass() < 0) {
            throw new IllegalArgumentException("the model has no null class, so guidance other than 1 is impossible");
        }
        if (data.size() < HELD_OUT_TO || data.rows() != 28 || data.cols() != 28) {
            throw new IllegalArgumentException("need the bundled 9,000-digit MNIST subset (28×28), got " + data);
        }
    }

    /** Held-out indices 8000…8999 in a seeded random order (Fisher–Yates). */
    static int[] shuffledHeldOut(long seed) {
        int[] idx = new int[HELD_OUT_TO - HELD_OUT_FROM];
        for (int i = 0; i < idx.length; i++) idx[i] = HELD_OUT_FROM + i;
        SplittableRandom random = new SplittableRandom(seed ^ 0x4E1D_0D16L);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        return idx;
    }

    /** Images [k, 1, 28, 28] in [0, 1] (the classifier's range) of the given dataset items. */
    public static INDArray unitImages(MnistDataset data, int[] indices) {
        int p = data.pixelsPerImage();
        float[] pixels = new float[indices.length * p];
        for (int i = 0; i < indices.length; i++) data.image(indices[i], pixels, i * p);
        for (int k = 0; k < pixels.length; k++) pixels[k] = DigitImages.unit(pixels[k]);
        return Nd4j.create(pixels, new long[] {indices.length, 1, data.rows(), data.cols()}, 'c');
    }

    public static int[] labels(MnistDataset data, int[] indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) labels[i] = data.label(indices[i]);
        return labels;
    }

    /** Classifier features as rows, [N][64], for {@link FrechetDistance}. */
    public static double[][] features(MnistClassifier classifier, INDArray unitImages) {
        return classifier.features(unitImages).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    public static double accuracy(int[] predicted, int[] expected) {
        int correct = 0;
        for (int i = 0; i < expected.length; i++) if (predicted[i] == expected[i]) correct++;
        return (double) correct / expected.length;
    }

    /** A tiny untimed run, so the first timed cell does not pay for building the graph's session. */
    private static void warmUp(Denoiser model) {
        new SamplerRun(SamplerKind.DDIM, SamplerOptions.defaults(), Spacing.LINEAR, 2)
                .run(model, new long[] {2, 1, 28, 28}, new int[] {0, 1}, 0);
    }
}
