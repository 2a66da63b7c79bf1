package org.diffusionplayground.model.sampling.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.diffusionplayground.model.schedule.GeometricNoise;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The text samplers beyond MDLM's ancestral step, on exact models of data with independent
 * positions, where the right answer is the data marginals π: planned unmasking (orders,
 * confidence threshold, blocks), ReMDM remasking, the cache, the token filter, clamping, and
 * SEDD's Tweedie and Euler τ-leaping on an exact uniform-process model. Frequencies are checked
 * within 4.5 binomial standard deviations.
 */
class TextSamplersTest {

    static final double[][] PI = {
            {0.50, 0.25, 0.15, 0.10},
            {0.05, 0.05, 0.30, 0.60},
            {0.25, 0.25, 0.25, 0.25}};
    static final int K = 4, MASK = 4, N = 3000;
    static final MaskingSchedule LINEAR = MaskingSchedule.linear();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static int[] ids(INDArray tokens) {
        return tokens.castTo(DataType.INT32).dup('c').data().asInt();
    }

    /** Asserts every position's token frequencies over the rows of {@code z} match π. */
    static void assertMarginals(int[] z, int length, double[][] pi, String what) {
        int rows = z.length / length;
        for (int l = 0; l < length; l++) {
            for (int k = 0; k < pi[l].length; k++) {
                int count = 0;
                for (int r = 0; r < rows; r++) if (z[r * length + l] == k) count++;
                double p = pi[l][k], sd = Math.sqrt(rows * p * (1 - p));
                assertTrue(Math.abs(count - rows * p) <= 4.5 * sd + 1e-9,
                        "%s: position %d token %d: %d of %d, expected %.1f ± %.1f".formatted(what, l, k, count, rows, rows * p, sd));
            }
        }
    }

    static TokenSamplingLoop.Result masked(TokenSampler sampler, TokenModel model, int rows, int length, int steps,
                                           List<TokenStepEvent> events) {
        return TokenSamplingLoop.run(sampler, new TokenModelFn(model), MaskedAncestral.allMasked(rows, length, MASK),
                TimeGrid.uniform(steps), events::add, () -> false);
    }

    @Test
    void plannedUnmaskingInRandomOrderSamplesTheData() {
        var r = masked(new PlannedUnmasking(LINEAR, new Noise(1), RevealOrder.RANDOM, 0, 0, TokenFilter.none()),
                new IndependentTokens(PI), N, 3, 8, new ArrayList<>());
        assertMarginals(ids(r.tokens()), 3, PI, "random order");
    }

    @Test
    void confidenceOrderFavoursEachPositionsMostLikelyToken() {
        int[] z = ids(masked(new PlannedUnmasking(LINEAR, new Noise(2), RevealOrder.CONFIDENCE, 0, 0, TokenFilter.none()),
                new IndependentTokens(PI), N, 3, 3, new ArrayList<>()).tokens());
        int mode = 0;
        for (int r = 0; r < N; r++) if (z[r * 3 + 1] == 3) mode++;
        // the peaked position's mode (π = 0.6) is revealed first whenever drawn, and redrawn otherwise
        assertTrue(mode > N * 0.6 + 4.5 * Math.sqrt(N * 0.24), "mode share " + mode / (double) N);
    }

    @Test
    void aConfidenceThresholdRevealsExactlyTheConfidentPositionsThenAtLeastOneAStep() {
        double[][] pi = {{0.97, 0.01, 0.01, 0.01}, {0.25, 0.25, 0.25, 0.25}, {0.01, 0.01, 0.95, 0.03}, {0.4, 0.3, 0.2, 0.1}};
        List<TokenStepEvent> events = new ArrayList<>();
        masked(new PlannedUnmasking(LINEAR, new Noise(3), RevealOrder.CONFIDENCE, 0.9, 0, TokenFilter.none()),
                new IndependentTokens(pi), 1, 4, 10, events);
        int[] first = ids(events.get(0).tokens());
        assertArrayEquals(new int[] {0, MASK, 2, MASK}, first, "positions 0 and 2 pass 0.9; the others wait");
        int masked = 2;
        for (TokenStepEvent e : events.subList(1, events.size())) {
            int now = (int) java.util.Arrays.stream(ids(e.tokens())).filter(x -> x == MASK).count();
            assertTrue(now <= Math.max(0, masked - 1), "at least one a step while masks remain");
            masked = now;
        }
    }

    @Test
    void blocksRevealLeftBlockFirst() {
        double[][] pi = new double[12][];
        for (int l = 0; l < 12; l++) pi[l] = PI[l % 3];
        List<TokenStepEvent> events = new ArrayList<>();
        int[] z = ids(masked(new PlannedUnmasking(LINEAR, new Noise(4), RevealOrder.RANDOM, 0, 4, TokenFilter.none()),
                new IndependentTokens(pi), 50, 12, 12, events).tokens());
        for (TokenStepEvent e : events) {
            int[] step = ids(e.tokens());
            for (int r = 0; r < 50; r++) {
                for (int l = 4; l < 12; l++) {
                    boolean earlierMasked = false;
                    for (int j = 0; j < (l / 4) * 4; j++) earlierMasked |= step[r * 12 + j] == MASK;
                    assertTrue(!earlierMasked || step[r * 12 + l] == MASK, "position %d revealed before its block's turn".formatted(l));
                }
            }
        }
        assertTrue(java.util.Arrays.stream(z).noneMatch(x -> x == MASK), "all revealed at the end");
    }

    @Test
    void remaskingKeepsTheMarginalsAndRevisesTokens() {
        List<TokenStepEvent> events = new ArrayList<>();
        var r = masked(new MaskedAncestral(LINEAR, new Noise(5), TokenFilter.none(), 0.5), new IndependentTokens(PI), N, 3, 16, events);
        assertMarginals(ids(r.tokens()), 3, PI, "ReMDM η = 0.5");
        int remasked = 0;
        for (int i = 1; i < events.size(); i++) {
            int[] before = ids(events.get(i - 1).tokens()), after = ids(events.get(i).tokens());
            for (int j = 0; j < before.length; j++) if (before[j] != MASK && after[j] == MASK) remasked++;
        }
        assertTrue(remasked > 100, "revealed tokens masked again: " + remasked);
    }

    @Test
    void theCacheSkipsStepsThatRevealedNothingAndChangesNoResult() {
        TokenModelFn plain = new TokenModelFn(new IndependentTokens(PI)), cached = new TokenModelFn(new IndependentTokens(PI)).cacheUnchanged(true);
        var a = TokenSamplingLoop.run(new MaskedAncestral(LINEAR, new Noise(6)), plain, MaskedAncestral.allMasked(1, 3, MASK), TimeGrid.uniform(64));
        var b = TokenSamplingLoop.run(new MaskedAncestral(LINEAR, new Noise(6)), cached, MaskedAncestral.allMasked(1, 3, MASK), TimeGrid.uniform(64));
        assertEquals(64, a.nfe());
        assertTrue(b.nfe() <= 4, "3 positions change the tokens at most 3 times after the first call: NFE " + b.nfe());
        assertArrayEquals(ids(a.tokens()), ids(b.tokens()));
    }

    @Test
    void theFilterKeepsTheTopTokensAndTemperatureZeroIsGreedy() {
        double[] logits = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05), 9};
        double[] p = new double[5];
        new TokenFilter(1, 2, 1).probabilities(logits, 0, 5, 4, p);
        assertArrayEquals(new double[] {0.625, 0.375, 0, 0, 0}, p, 1e-12);
        new TokenFilter(1, 0, 0.9).probabilities(logits, 0, 5, 4, p); // 0.5 + 0.3 < 0.9 ≤ 0.95
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0, 0}, p, 1e-12);
        new TokenFilter(0, 0, 1).probabilities(logits, 0, 5, 4, p);
        assertArrayEquals(new double[] {1, 0, 0, 0, 0}, p, 0);
        new TokenFilter(2, 0, 1).probabilities(logits, 0, 5, 4, p); // τ = 2: ∝ √π
        double z = Math.sqrt(0.5) + Math.sqrt(0.3) + Math.sqrt(0.15) + Math.sqrt(0.05);
        assertEquals(Math.sqrt(0.3) / z, p[1], 1e-12);
    }

    @Test
    void aTemplateKeepsItsCharactersAndFillsOnlyTheBlanks() {
        Clamp clamp = new Clamp(new int[] {2, -1, 1});
        List<TokenStepEvent> events = new ArrayList<>();
        INDArray prior = clamp.apply(MaskedAncestral.allMasked(200, 3, MASK));
        var r = TokenSamplingLoop.run(clamp.around(new MaskedAncestral(LINEAR, new Noise(7), TokenFilter.none(), 0.5)),
                new TokenModelFn(new IndependentTokens(PI)), prior, TimeGrid.uniform(8), events::add, () -> false);
        for (TokenStepEvent e : events) {
            int[] z = ids(e.tokens());
            for (int row = 0; row < 200; row++) {
                assertEquals(2, z[row * 3]);
                assertEquals(1, z[row * 3 + 2]);
            }
        }
        int[] z = ids(r.tokens());
        for (int row = 0; row < 200; row++) assertTrue(z[row * 3 + 1] >= 0 && z[row * 3 + 1] < K, "the blank is filled");
    }

    /** The exact uniform-process model of independent positions: log p_t(y)/p_t(x) per position. */
    record ExactUniform(double[][] pi, GeometricNoise noise) implements TokenModel {
        @Override
        public INDArray logits(INDArray tokens, double t) {
            int b = (int) tokens.size(0), l = (int) tokens.size(1), k = pi[0].length;
            double keep = Math.exp(-noise.totalNoise(t));
            int[] z = ids(tokens);
            float[] out = new float[b * l * k];
            for (int i = 0; i < z.length; i++) {
                double[] p = pi[i % l];
                double px = keep * p[z[i]] + (1 - keep) / k;
                for (int y = 0; y < k; y++) out[i * k + y] = (float) Math.log((keep * p[y] + (1 - keep) / k) / px);
            }
            return Nd4j.create(out, new long[] {b, l, k}, 'c');
        }

        @Override
        public int vocabularySize() {
            return pi[0].length;
        }
    }

    @Test
    void tweedieTauLeapingIsExactForIndependentPositionsInAFewSteps() {
        GeometricNoise noise = GeometricNoise.sedd();
        Noise rng = new Noise(8);
        var r = TokenSamplingLoop.run(new UniformTweedie(noise, rng), new TokenModelFn(new ExactUniform(PI, noise)),
                UniformTweedie.uniformPrior(N, 3, K, rng), TimeGrid.uniform(3));
        assertMarginals(ids(r.tokens()), 3, PI, "Tweedie, 3 steps");
    }

    @Test
    void eulerTauLeapingSamplesTheDataWithEnoughSteps() {
        GeometricNoise noise = GeometricNoise.sedd();
        Noise rng = new Noise(9);
        var r = TokenSamplingLoop.run(new UniformEuler(noise, rng), new TokenModelFn(new ExactUniform(PI, noise)),
                UniformTweedie.uniformPrior(N, 3, K, rng), TimeGrid.uniform(256));
        assertMarginals(ids(r.tokens()), 3, PI, "Euler, 256 steps");
    }
}
