package org.diffusionplayground.model.sampling.tokens;

import static org.diffusionplayground.model.sampling.tokens.TextSamplersTest.assertMarginals;
import static org.diffusionplayground.model.sampling.tokens.TextSamplersTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Left-to-right sampling ({@link LeftToRight} through {@link TokenRun}) on the exact model of a
 * Markov chain, where the right answer is known: the marginals π0·Tⁱ and the pair frequencies
 * π0(a)·T(a, b); one position a step in order, NFE = the positions written; prompts continued;
 * template blanks filled left to right, seeing only what is left of them; the filter; and the
 * pairing of samplers with models. Frequencies within 4.5 binomial standard deviations.
 */
class LeftToRightTest {

    static final double[] START = {0.6, 0.3, 0.1};
    static final double[][] NEXT = {{0.1, 0.8, 0.1}, {0.2, 0.2, 0.6}, {0.7, 0.2, 0.1}};
    static final MarkovChainTokens CHAIN = new MarkovChainTokens(START, NEXT);
    static final int K = 3, MASK = 3, N = 3000, L = 4;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static TokenRun autoregressive(int steps, TokenFilter filter) {
        return new TokenRun(TokenRun.Kind.AUTOREGRESSIVE, steps, filter, RevealOrder.RANDOM, 0, 0, 0, true);
    }

    @Test
    void samplesTheChainsMarginalsAndPairs() {
        int[] z = ids(autoregressive(L, TokenFilter.none()).run(CHAIN, Clamp.none(L), N, 1, e -> { }, () -> false).tokens());
        double[][] marginals = new double[L][];
        for (int i = 0; i < L; i++) marginals[i] = CHAIN.marginal(i);
        assertMarginals(z, L, marginals, "left to right");
        for (int a = 0; a < K; a++) {
            for (int b = 0; b < K; b++) {
                int count = 0;
                for (int r = 0; r < N; r++) if (z[r * L] == a && z[r * L + 1] == b) count++;
                double p = START[a] * NEXT[a][b], sd = Math.sqrt(N * p * (1 - p));
                assertTrue(Math.abs(count - N * p) <= 4.5 * sd, "pair (%d, %d): %d of %d, expected %.1f".formatted(a, b, count, N, N * p));
            }
        }
    }

    @Test
    void writesOnePositionAStepFromTheLeftWithOneNfeEach() {
        List<TokenStepEvent> events = new ArrayList<>();
        var r = autoregressive(L, TokenFilter.none()).run(CHAIN, Clamp.none(L), 5, 2, events::add, () -> false);
        assertEquals(L, r.nfe());
        assertEquals(L, events.size());
        for (TokenStepEvent e : events) {
            int[] z = ids(e.tokens());
            for (int row = 0; row < 5; row++) {
                for (int i = 0; i < L; i++) {
                    assertEquals(i <= e.index(), z[row * L + i] != MASK, "step %d, row %d, position %d".formatted(e.index(), row, i));
                }
            }
            assertEquals(e.index() + 1, e.nfe());
            assertEquals(L, e.total());
        }
    }

    @Test
    void aPromptIsContinuedAndCostsNoEvaluation() {
        Clamp prompt = Clamp.prompt(new int[] {2}, L);
        TokenRun run = autoregressive(100, TokenFilter.none());
        assertEquals(L - 1, run.stepsFor(prompt), "one step per free position");
        var r = run.run(CHAIN, prompt, N, 3, e -> { }, () -> false);
        assertEquals(L - 1, r.nfe());
        int[] z = ids(r.tokens());
        double[][] expected = {{0, 0, 1}, NEXT[2]};
        for (int row = 0; row < N; row++) assertEquals(2, z[row * L]);
        assertMarginals(pairs(z), 2, expected, "after the prompt");
        assertEquals(2, autoregressive(2, TokenFilter.none()).run(CHAIN, prompt, 4, 3, e -> { }, () -> false).nfe(),
                "fewer steps write fewer characters");
    }

    /** A blank sees what is left of it and nothing to its right: position 0 stays π0 although position 1 is given. */
    @Test
    void templateBlanksAreFilledLeftToRightSeeingOnlyTheirLeft() {
        Clamp template = new Clamp(new int[] {-1, 1, -1, 0});
        var r = autoregressive(L, TokenFilter.none()).run(CHAIN, template, N, 4, e -> { }, () -> false);
        assertEquals(2, r.nfe());
        int[] z = ids(r.tokens());
        for (int row = 0; row < N; row++) {
            assertEquals(1, z[row * L + 1]);
            assertEquals(0, z[row * L + 3]);
        }
        assertMarginals(z, L, new double[][] {START, {0, 1, 0}, NEXT[1], {1, 0, 0}}, "template");
    }

    @Test
    void temperatureZeroFollowsTheMostLikelyPath() {
        int[] z = ids(autoregressive(L, new TokenFilter(0, 0, 1)).run(CHAIN, Clamp.none(L), 20, 5, e -> { }, () -> false).tokens());
        for (int row = 0; row < 20; row++) {
            assertEquals(List.of(0, 1, 2, 0), List.of(z[row * L], z[row * L + 1], z[row * L + 2], z[row * L + 3]));
        }
    }

    @Test
    void samplersAndModelsOfDifferentFamiliesAreRefused() {
        TokenModel masked = new IndependentTokens(new double[][] {{0.5, 0.5}});
        var e = assertThrows(IllegalArgumentException.class,
                () -> autoregressive(1, TokenFilter.none()).run(masked, Clamp.none(1), 1, 0, x -> { }, () -> false));
        assertEquals("the autoregressive sampler is for autoregressive models; this one is masked", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TokenRun.defaults(true, 2).run(CHAIN, Clamp.none(L), 1, 0, x -> { }, () -> false));
        assertEquals("the ancestral sampler is for masked models; this one is autoregressive", e.getMessage());
        assertEquals(TokenFamily.AUTOREGRESSIVE, TokenFamily.of(CHAIN));
        assertEquals(TokenRun.Kind.AUTOREGRESSIVE, TokenRun.Kind.defaultFor(TokenFamily.of(CHAIN)));
        assertEquals(TokenRun.Kind.AUTOREGRESSIVE, TokenRun.Kind.parse("Autoregressive"));
        assertEquals("ancestral or planned", TokenRun.Kind.namesFor(TokenFamily.MASKED));
    }

    /** Rows (x_0, x_1) of z as sequences of two. */
    private static int[] pairs(int[] z) {
        int[] out = new int[2 * (z.length / L)];
        for (int r = 0; r < z.length / L; r++) {
            out[2 * r] = z[r * L];
            out[2 * r + 1] = z[r * L + 1];
        }
        return out;
    }
}
