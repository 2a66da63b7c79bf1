package org.diffusionplayground.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    @TempDir Path dir;

    @Test
    void shakespeareHas65SortedCharactersThenTheMaskAndA90To10Split() throws IOException {
        TextCorpus c = TextCorpus.shakespeare();
        assertEquals(65, c.vocabularySize());
        assertEquals(TextCorpus.SHAKESPEARE_CHARACTERS, c.vocabularySize(), "the constant for callers that cannot read the corpus first");
        assertEquals(65, c.maskId());
        // the figures of shared/data/README.md: 1,115,394 characters, 65 distinct
        assertEquals(1_115_394, c.trainLength() + c.validationLength());
        assertEquals(1_115_394 * 9 / 10, c.trainLength());
        assertEquals('\n', c.character(0));
        assertEquals(' ', c.character(1));
        assertEquals('z', c.character(64));
        int[] first = new int[14];
        c.trainWindow(0, 14, first, 0);
        assertEquals("First Citizen:", c.decode(first));
        assertEquals(c.trainLength() - 255, c.trainStarts(256));
        assertEquals(c.validationLength() - 255, c.validationStarts(256));
    }

    @Test
    void encodeAndDecodeRoundTripWithTheMaskShownAsUnderscore() throws IOException {
        TextCorpus c = TextCorpus.of("abc", "cabbage");
        assertEquals(5, c.vocabularySize()); // a b c e g
        int[] ids = c.encode("bag");
        assertArrayEquals(new int[] {1, 0, 4}, ids);
        assertEquals("bag", c.decode(ids));
        assertEquals("b_g", c.decode(new int[] {1, c.maskId(), 4}));
    }

    @Test
    void aCharacterOutsideTheVocabularyOrAWindowOutsideTheSplitIsNamed() throws IOException {
        TextCorpus c = TextCorpus.of("abc", "cabbage");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.encode("bad!"));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("position 2"), e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> c.trainWindow(0, 99, new int[99], 0));
        assertTrue(w.getMessage().contains("99"), w.getMessage());
    }

    @Test
    void aMissingOrEmptyFileIsAClearError() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> TextCorpus.fromFile(dir.resolve("none.txt")));
        assertTrue(missing.getMessage().contains("none.txt"), missing.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        IOException e = assertThrows(IOException.class, () -> TextCorpus.fromFile(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
