package org.diffusionplayground.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextQualityTest {

    static final String TRAINING = "First Citizen:\nBefore we proceed any further, hear me speak.\nAll:\nSpeak, speak.";

    @Test
    void countsKnownWordsVariedBigramsAndTheLongestCopy() {
        TextQuality q = TextQuality.of(List.of("hear me, Citizen zzqx", "the the the the"), TRAINING);
        // words: hear me citizen zzqx | the the the the → known: hear, me, citizen (3 of 8)
        assertEquals(8, q.words());
        assertEquals(3 / 8.0, q.realWordShare(), 1e-12);
        // bigrams: 3 of 3 distinct in the first; 1 of 3 in the loop of "the"
        assertEquals((1 + 1 / 3.0) / 2, q.distinctBigrams(), 1e-12);
        assertEquals(" Citizen".length(), q.longestCopy(), "\" Citizen\" (from \"First Citizen\") is the longest stretch found");
    }

    @Test
    void theLongestCopyIsExact() {
        assertEquals(0, TextQuality.longestCopy("#", TRAINING));
        assertEquals("Before we proceed".length(), TextQuality.longestCopy("xBefore we proceedy", TRAINING));
    }
}
