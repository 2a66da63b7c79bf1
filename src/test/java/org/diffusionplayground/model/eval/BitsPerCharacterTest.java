package org.diffusionplayground.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.objective.MaskedDiffusion;
import org.diffusionplayground.model.schedule.MaskingSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class BitsPerCharacterTest {

    @Test
    void aModelThatKnowsNothingScoresLog2OfTheVocabulary() throws IOException {
        // zero logits: −log p = ln 65 at every masked position, and E[(1/t)·#masked/L] = 1, so the
        // bound is log2 65 = 6.022 bits/char in expectation (unbiased for any number of draws)
        MaskedDiffusion objective = new MaskedDiffusion(MaskingSchedule.linear(), TextCorpus.shakespeare(), 64);
        BitsPerCharacter.Result r = BitsPerCharacter.evaluate(
                (tokens, t) -> Nd4j.zeros(DataType.FLOAT, tokens.size(0), tokens.size(1), 66), objective, 200, 6, 50, 1);
        assertEquals(200, r.windows());
        assertEquals(6, r.perDraw().size());
        double expected = Math.log(65) / Math.log(2);
        assertTrue(Math.abs(r.mean() - expected) < 4 * r.standardError() + 1e-9,
                "%.4f ± %.4f, expected %.4f".formatted(r.mean(), r.standardError(), expected));
        assertTrue(r.standardError() < 0.1, "standard error " + r.standardError());
    }
}
