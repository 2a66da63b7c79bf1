package org.diffusionplayground.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.diffusionplayground.app.cli.Cli;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Train page's preview of a left-to-right run: its own sampler over the whole context, its exact likelihood. */
class TextPreviewTest {

    @TempDir
    Path dir;

    @Test
    void aLeftToRightRunIsPreviewedWithOneStepPerCharacterAndItsLikelihood() throws Exception {
        NativeBuild.configure();
        Path run = dir.resolve("ar");
        StringWriter err = new StringWriter();
        assertEquals(0, Cli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "train", "--dataset", "shakespeare",
                "--process", "autoregressive", "--model", "tiny", "--steps", "2", "--batch", "2", "--out", run.toString(), "--no-progress"),
                err.toString());
        assertEquals(TextProcessChoice.AUTOREGRESSIVE, TextProcessChoice.of("autoregressive"));
        TextPreview.Preview p = TextPreview.sample(run);
        assertEquals("autoregressive", p.sampler());
        assertEquals(16, p.text().length(), p.text());
        assertFalse(p.text().contains("_"), "every position written (the default 64 steps would leave none [M] of 16): " + p.text());
        assertTrue(p.bitsPerChar() > 3 && p.bitsPerChar() < 10, "an untrained model's likelihood near log2 65 = 6.0: " + p.bitsPerChar());
    }
}
