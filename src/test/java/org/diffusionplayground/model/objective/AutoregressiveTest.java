package org.diffusionplayground.model.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.eval.BitsPerCharacter;
import org.diffusionplayground.model.nn.Batch;
import org.diffusionplayground.model.train.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The left-to-right objective: clean training windows as input and target at t = 0, batches a
 * pure function of (seed, k), and an exact validation figure — evaluated once, log2 V bits/char
 * for a model that knows nothing.
 */
class AutoregressiveTest {

    static final int L = 64, B = 8;
    static final TrainConfig CONFIG = new TrainConfig(100, B, 1e-3, 0, 0, 0.999, 0, 0, 10, 1, 5);
    static Autoregressive objective;

    @BeforeAll
    static void corpus() throws IOException {
        objective = new Autoregressive(TextCorpus.shakespeare(), L);
    }

    @Test
    void aBatchIsCleanTrainingWindowsAtTimeZeroWithoutWeights() {
        Batch batch = objective.batch(CONFIG, 3);
        assertArrayEquals(new long[] {B, L}, batch.input().shape());
        assertEquals(batch.target(), batch.input(), "nothing is corrupted: the network shifts the window itself");
        assertEquals(0.0, batch.t().amaxNumber().doubleValue());
        assertNull(batch.weight());
        int[] x = batch.input().data().asInt();
        for (int id : x) assertTrue(id >= 0 && id < objective.corpus().vocabularySize(), "a character, never [M]: " + id);
        String text = objective.corpus().decode(java.util.Arrays.copyOfRange(x, 0, L));
        assertTrue(objective.corpus().decode(trainText()).contains(text), "a window of the training split: " + text);
    }

    @Test
    void batchKIsAPureFunctionOfSeedAndK() {
        assertEquals(objective.batch(CONFIG, 4).input(), objective.batch(CONFIG, 4).input());
        assertTrue(!objective.batch(CONFIG, 4).input().equals(objective.batch(CONFIG, 5).input()));
        assertTrue(!objective.batch(CONFIG, 4).input().equals(objective.batch(CONFIG.withSeed(6), 4).input()));
    }

    @Test
    void theValidationFigureIsExactAndLog2VForAModelThatKnowsNothing() {
        assertTrue(objective.exact());
        BitsPerCharacter.Result r = BitsPerCharacter.evaluate(
                (tokens, t) -> Nd4j.zeros(DataType.FLOAT, tokens.size(0), tokens.size(1), 66), objective, 40, 8, 16, 1);
        assertEquals(1, r.perDraw().size(), "nothing to draw: one evaluation");
        assertEquals(Math.log(65) / Math.log(2), r.mean(), 1e-6);
    }

    private static int[] trainText() {
        TextCorpus c = objective.corpus();
        int[] ids = new int[c.trainLength()];
        c.trainWindow(0, ids.length, ids, 0);
        return ids;
    }
}
