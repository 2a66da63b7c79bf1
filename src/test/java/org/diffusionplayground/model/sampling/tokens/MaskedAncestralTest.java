package org.diffusionplayground.model.sampling.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.TimeGrid;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MDLM's ancestral sampler (Sahoo et al. 2024, eq. 7) on the exact model of data with independent
 * positions ({@link IndependentTokens}), where every number to expect is known in closed form:
 * revealed tokens follow the data marginals π, and after a step to s a position is still masked
 * with probability 1 − α_s (the reveal probabilities (α_s − α_t)/(1 − α_t) telescope from
 * α_1 = 0). Counts are checked within 4.5 binomial standard deviations (a false alarm about once
 * in 10⁵ per cell).
 */
class MaskedAncestralTest {

    /** π[l][k]: four tokens, three positions (a skewed, a peaked and a flat one); the mask is token 4. */
    private static final double[][] PI = {
            {0.50, 0.25, 0.15, 0.10},
            {0.05, 0.05, 0.30, 0.60},
            {0.25, 0.25, 0.25, 0.25}};
    private static final int MASK = 4, LENGTH = 3;
    private static final MaskingSchedule SCHEDULE = MaskingSchedule.linear();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private static TokenSamplingLoop.Result sample(IndependentTokens model, int n, int steps, long seed,
                                                   Consumer<TokenStepEvent> listener, BooleanSupplier cancelled) {
        return TokenSamplingLoop.run(new MaskedAncestral(SCHEDULE, new Noise(seed)), new TokenModelFn(model),
                MaskedAncestral.allMasked(n, LENGTH, MASK), TimeGrid.uniform(steps), listener, cancelled);
    }

    private static TokenSamplingLoop.Result sample(int n, int steps, long seed) {
        return sample(new IndependentTokens(PI), n, steps, seed, e -> { }, () -> false);
    }

    private static int[] ids(INDArray tokens) {
        return tokens.castTo(DataType.INT32).dup('c').data().asInt();
    }

    private static void assertBinomial(int count, int trials, double p, String what) {
        double sd = Math.sqrt(trials * p * (1 - p));
        assertEquals(trials * p, count, 4.5 * sd, what);
    }

    @Test
    void revealedTokensFollowTheDataMarginalsAndNoMaskRemains() {
        int n = 4000;
        int[] z = ids(sample(n, 10, 1).tokens());
        int[][] counts = new int[LENGTH][MASK + 1];
        for (int i = 0; i < z.length; i++) counts[i % LENGTH][z[i]]++;
        for (int l = 0; l < LENGTH; l++) {
            assertEquals(0, counts[l][MASK], "masks left at position " + l);
            for (int k = 0; k < MASK; k++) assertBinomial(counts[l][k], n, PI[l][k], "token %d at position %d".formatted(k, l));
        }
    }

    @Test
    void aSingleStepRevealsEveryPositionAtOnce() {
        int n = 2000;
        int[] z = ids(sample(n, 1, 2).tokens());
        int zeros = 0;
        for (int i = 0; i < z.length; i++) {
            assertTrue(z[i] != MASK, "position " + i);
            if (i % LENGTH == 0 && z[i] == 0) zeros++;
        }
        assertBinomial(zeros, n, PI[0][0], "token 0 at position 0");
    }

    @Test
    void afterAStepToSAPositionIsStillMaskedWithProbabilityOneMinusAlphaS() {
        int n = 3000, steps = 5;
        List<double[]> maskedAt = new ArrayList<>(); // {s, masked count}
        sample(new IndependentTokens(PI), n, steps, 3, e -> {
            int masked = 0;
            for (int id : ids(e.tokens())) if (id == MASK) masked++;
            maskedAt.add(new double[] {e.s(), masked});
        }, () -> false);
        assertEquals(steps, maskedAt.size());
        for (double[] m : maskedAt) {
            assertBinomial((int) m[1], n * LENGTH, 1 - SCHEDULE.alpha(m[0]), "masked after the step to s = " + m[0]);
        }
    }

    @Test
    void oneModelEvaluationPerStepOnTheUniformGrid() {
        IndependentTokens model = new IndependentTokens(PI);
        List<TokenStepEvent> events = new ArrayList<>();
        TokenSamplingLoop.Result r = sample(model, 16, 4, 4, events::add, () -> false);
        assertEquals(4, r.nfe());
        assertEquals(4, r.stepsDone());
        assertEquals(List.of(1.0, 0.75, 0.5, 0.25), model.times());
        assertEquals(List.of(0.75, 0.5, 0.25, 0.0), events.stream().map(TokenStepEvent::s).toList());
        assertEquals(List.of(1, 2, 3, 4), events.stream().map(TokenStepEvent::nfe).toList());
        assertSame(events.get(3).tokens(), r.tokens());
        assertEquals(List.of(16L, 3L, 5L), List.of(events.get(0).logits().shape()[0], events.get(0).logits().shape()[1],
                events.get(0).logits().shape()[2]));
    }

    @Test
    void cancellationStopsBetweenStepsWithTheTokensReachedSoFar() {
        IndependentTokens model = new IndependentTokens(PI);
        List<TokenStepEvent> events = new ArrayList<>();
        TokenSamplingLoop.Result r = sample(model, 64, 10, 5, events::add, () -> events.size() == 3);
        assertTrue(r.cancelled());
        assertEquals(3, r.stepsDone());
        assertEquals(3, r.nfe());
        assertEquals(3, model.times().size());
        assertSame(events.get(2).tokens(), r.tokens());
        assertTrue(java.util.Arrays.stream(ids(r.tokens())).anyMatch(id -> id == MASK), "still partly masked at s = 0.7");
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        int[] a = ids(sample(200, 6, 42).tokens()), b = ids(sample(200, 6, 42).tokens());
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(ids(sample(200, 6, 43).tokens())));
    }

    @Test
    void unmaskedTokensAreCarriedOver() {
        INDArray start = Nd4j.createFromArray(new int[][] {{3, MASK, 0}, {MASK, 1, MASK}});
        var step = new MaskedAncestral(SCHEDULE, new Noise(6)).step(new TokenModelFn(new IndependentTokens(PI)), start, 0.5, 0.0);
        int[] z = ids(step.tokens());
        assertEquals(List.of(3, 0, 1), List.of(z[0], z[2], z[4]));
        assertEquals(List.of(MASK, 0, MASK), List.of((int) start.getDouble(0, 1), (int) start.getDouble(0, 2),
                (int) start.getDouble(1, 2)), "z_t itself is not modified");
        for (int id : z) assertTrue(id != MASK);
    }

    @Test
    void aModelWithoutAMaskOrWithLogitsOfTheWrongShapeIsRejected() {
        TokenModel uniform = new TokenModel() {
            @Override public INDArray logits(INDArray tokens, double t) { return Nd4j.zeros(tokens.size(0), tokens.size(1), 4); }

            @Override public int vocabularySize() { return 4; }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> new MaskedAncestral(SCHEDULE, new Noise(1))
                .step(new TokenModelFn(uniform), Nd4j.zeros(DataType.INT32, 2, 3), 1, 0.5));
        assertEquals("masked ancestral sampling needs a model with a mask token", e.getMessage());
        TokenModel wrong = new TokenModel() {
            @Override public INDArray logits(INDArray tokens, double t) { return Nd4j.zeros(tokens.size(0), 4); }

            @Override public int vocabularySize() { return 5; }

            @Override public int maskToken() { return 4; }
        };
        var s = assertThrows(IllegalStateException.class, () -> new TokenModelFn(wrong).logits(Nd4j.zeros(DataType.INT32, 2, 3), 1));
        assertEquals("the model returned logits [2, 4] for tokens [2, 3]; expected [2, 3, 5]", s.getMessage());
    }
}
