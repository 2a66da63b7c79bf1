package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SEDD's uniform process and its denoising score entropy: the corruption rate, the loss against
 * the bound's defining property (with the exact scores it equals −log p0(x0), integrated over t
 * by quadrature), against SEDD's own algebraic form of the same loss, and its gradient against
 * finite differences.
 */
class ScoreEntropyTest {

    static final GeometricNoise NOISE = GeometricNoise.sedd();

    /** The exact log-ratios log p_t(y)/p_t(x) for i.i.d. tokens with marginal p0, row-major [x][y]. */
    static float[] exactLogScores(double[] p0, double t, int x) {
        int n = p0.length;
        double keep = Math.exp(-NOISE.totalNoise(t));
        float[] l = new float[n];
        for (int y = 0; y < n; y++) l[y] = (float) Math.log((keep * p0[y] + (1 - keep) / n) / (keep * p0[x] + (1 - keep) / n));
        return l;
    }

    static double loss(DenoisingScoreEntropy dse, float[] logScores, int x, int x0, double t, INDArray grad) {
        Batch row = new Batch(Nd4j.createFromArray(new int[] {x}).reshape(1, 1), Nd4j.createFromArray((float) t), null,
                Nd4j.createFromArray(new int[] {x0}).reshape(1, 1), null);
        return dse.apply(Nd4j.create(logScores, new long[] {1, 1, logScores.length}, 'c'), row, 1, grad);
    }

    /**
     * With exact scores the continuous-time bound is tight: ∫₀¹ E_{x_t|x0} L dt = −log p0(x0)
     * (up to the prior term and σ̄(0) = 1e-4, both below 1e-3 here). Quadrature in t, exact sum over x_t.
     */
    @Test
    void withExactScoresTheBoundIsMinusLogLikelihood() {
        double[] p0 = {0.5, 0.25, 0.15, 0.1};
        int n = p0.length, nodes = 600;
        DenoisingScoreEntropy dse = new DenoisingScoreEntropy(NOISE, n);
        INDArray grad = Nd4j.create(DataType.FLOAT, 1, 1, n);
        for (int x0 = 0; x0 < n; x0++) {
            double bound = 0;
            for (int k = 0; k < nodes; k++) {
                double t = (k + 0.5) / nodes, keep = Math.exp(-NOISE.totalNoise(t));
                for (int x = 0; x < n; x++) {
                    double px = (x == x0 ? keep : 0) + (1 - keep) / n;
                    bound += px * loss(dse, exactLogScores(p0, t, x), x, x0, t, grad) / nodes;
                }
            }
            assertEquals(-Math.log(p0[x0]), bound, 3e-3, "x0 = " + x0);
        }
    }

    /** SEDD's code writes the same loss as positive − negative + constant terms with means over all N tokens. */
    @Test
    void equalsSeddsAlgebraicForm() {
        int n = 7;
        Noise noise = new Noise(4);
        DenoisingScoreEntropy dse = new DenoisingScoreEntropy(NOISE, n);
        INDArray grad = Nd4j.create(DataType.FLOAT, 1, 1, n + 1);
        for (int trial = 0; trial < 50; trial++) {
            double t = 0.01 + 0.98 * noise.uniform();
            int x = noise.nextInt(n), x0 = trial % 3 == 0 ? x : noise.nextInt(n);
            float[] l = new float[n + 1];
            for (int y = 0; y <= n; y++) l[y] = (float) (2 * noise.uniform() - 1);
            double sigma = NOISE.totalNoise(t), em1 = Math.expm1(sigma), ratio = 1 - n / (em1 + n);
            double meanL = 0, meanS = 0;
            for (int y = 0; y < n; y++) {
                meanL += l[y] / (double) n;
                meanS += Math.exp(l[y]) / n;
            }
            double neg = meanL - l[x] / (double) n;
            neg = x == x0 ? ratio * neg : l[x0] / em1 + neg;
            double cnst = x == x0 ? (n - 1.0) / n * ratio * (Math.log(ratio) - 1) : ((-Math.log(ratio) - 1) / ratio - (n - 2)) / n;
            double pos = meanS - Math.exp(l[x]) / n;
            double expected = NOISE.rate(t) * (pos - neg + cnst);
            assertEquals(expected, loss(dse, l, x, x0, t, grad), 1e-5 * Math.max(1, Math.abs(expected)), "trial " + trial);
        }
    }

    @Test
    void gradientEqualsFiniteDifferences() {
        int n = 6;
        DenoisingScoreEntropy dse = new DenoisingScoreEntropy(NOISE, n);
        Noise noise = new Noise(8);
        for (int trial = 0; trial < 10; trial++) {
            double t = 0.05 + 0.9 * noise.uniform();
            int x = noise.nextInt(n), x0 = trial % 2 == 0 ? x : (x + 1) % n;
            float[] l = new float[n];
            for (int y = 0; y < n; y++) l[y] = (float) (noise.uniform() - 0.5);
            INDArray grad = Nd4j.create(DataType.FLOAT, 1, 1, n);
            loss(dse, l, x, x0, t, grad);
            for (int y = 0; y < n; y++) {
                float[] up = l.clone(), down = l.clone();
                up[y] += 1e-3f;
                down[y] -= 1e-3f;
                INDArray scratch = Nd4j.create(DataType.FLOAT, 1, 1, n);
                double numeric = (loss(dse, up, x, x0, t, scratch) - loss(dse, down, x, x0, t, scratch)) / 2e-3;
                double analytic = grad.getDouble(0, 0, y);
                assertEquals(numeric, analytic, 2e-3 * Math.max(1, Math.abs(numeric)), "trial %d, y %d".formatted(trial, y));
                if (y == x) assertEquals(0.0, analytic, 0.0, "the current token's own ratio is not a parameter");
            }
        }
    }

    @Test
    void eachCharacterChangesWithProbabilityOfAResampleThatLandsElsewhere() throws IOException {
        TextCorpus corpus = TextCorpus.shakespeare();
        int l = 64, b = 32, v = corpus.vocabularySize();
        ScoreEntropyDiffusion objective = new ScoreEntropyDiffusion(NOISE, corpus, l);
        TrainConfig config = new TrainConfig(100, b, 1e-3, 0, 0, 0.999, 0, 0, 10, 1, 5);
        double excess = 0, variance = 0;
        for (int k = 0; k < 100; k++) {
            Batch batch = objective.batch(config, k);
            int[] xt = batch.input().data().asInt(), x0 = batch.target().data().asInt();
            float[] t = batch.t().toFloatVector();
            for (int j = 0; j < b; j++) {
                double p = NOISE.resampleProbability(t[j]) * (1 - 1.0 / v);
                int changed = 0;
                for (int i = j * l; i < (j + 1) * l; i++) {
                    assertTrue(xt[i] >= 0 && xt[i] < v, "x_t is a character, never a mask");
                    if (xt[i] != x0[i]) changed++;
                }
                excess += changed - l * p;
                variance += l * p * (1 - p);
            }
        }
        assertTrue(Math.abs(excess / Math.sqrt(variance)) < 4, "changed characters off by %.1f σ".formatted(excess / Math.sqrt(variance)));
    }
}
