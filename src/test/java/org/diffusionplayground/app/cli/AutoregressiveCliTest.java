package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.train.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The left-to-right baseline through the CLI: {@code train --process autoregressive} (and
 * {@code --resume}), {@code sample} with its own sampler by default (one step and one NFE per
 * character written), {@code eval-text}'s exact figure, {@code bench quality}'s one cell, and the
 * options that do not fit it refused by name. A tiny model trained here for two steps.
 */
class AutoregressiveCliTest {

    @TempDir static Path dir;
    static Path ar, masked;

    final StringWriter out = new StringWriter(), err = new StringWriter();

    @BeforeAll
    static void models() {
        NativeBuild.configure();
        ar = dir.resolve("ar");
        masked = dir.resolve("masked");
        for (Path run : List.of(ar, masked)) {
            int code = Cli.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "train", "--dataset", "shakespeare",
                    "--process", run == ar ? "autoregressive" : "absorbing", "--model", "tiny", "--steps", "2", "--batch", "2",
                    "--checkpoint-every", "1", "--out", run.toString(), "--no-progress");
            assertEquals(0, code);
        }
    }

    int cli(String... args) {
        return Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void trainsAnAutoregressiveModelOfTheSameSizeAndResumesIt() throws Exception {
        var config = (TransformerConfig) new RunFolder(ar).latest().model();
        assertEquals(TransformerConfig.AUTOREGRESSIVE, config.process());
        assertEquals(TransformerConfig.preset("tiny", 65).forProcess(TransformerConfig.AUTOREGRESSIVE), config);
        Path copy = dir.resolve("resumed");
        assertEquals(0, cli("train", "--dataset", "shakespeare", "--process", "autoregressive", "--model", "tiny", "--steps", "2",
                "--batch", "2", "--checkpoint-every", "1", "--out", copy.toString(), "--no-progress"), err.toString());
        assertEquals(0, cli("train", "--resume", copy.toString(), "--steps", "3", "--no-progress"), err.toString());
        assertTrue(out.toString().contains("at step 2 of 3"), out.toString());
        assertEquals(3, new RunFolder(copy).latest().step());
    }

    @Test
    void samplesLeftToRightByDefaultWithOneNfePerCharacter() throws Exception {
        Path file = dir.resolve("a.txt");
        assertEquals(0, cli("sample", "--model", ar.toString(), "--n", "3", "--length", "10", "--out", file.toString()), err.toString());
        for (String s : TextSampleCommandTest.samples(file)) assertEquals(10, s.length(), s);
        assertTrue(out.toString().contains("autoregressive model") && out.toString().contains("autoregressive, top-p 0.9, 10 steps, NFE 10,"),
                out.toString());
        assertEquals(0, cli("sample", "--model", ar.toString(), "--n", "2", "--prompt", "KING", "--temperature", "0.7", "--top-k", "5",
                "--out", file.toString()), err.toString());
        for (String s : TextSampleCommandTest.samples(file)) assertTrue(s.startsWith("KING") && s.length() == 16, s);
        assertTrue(out.toString().contains("12 steps, NFE 12,"), out.toString()); // 16 − 4, for both samples (one chunk)
        String template = "To be, o_ not __";
        assertEquals(0, cli("sample", "--model", ar.toString(), "--n", "2", "--template", template, "--out", file.toString()),
                err.toString());
        for (String s : TextSampleCommandTest.samples(file)) {
            for (int i = 0; i < template.length(); i++) if (template.charAt(i) != '_') assertEquals(template.charAt(i), s.charAt(i), s);
        }
        assertTrue(out.toString().contains("3 steps, NFE 3,"), out.toString());
    }

    @Test
    void optionsThatDoNotFitAnAutoregressiveModelAreRefusedByName() {
        Path file = dir.resolve("x.txt");
        assertEquals(Cli.BAD_ARGUMENT, cli("sample", "--model", ar.toString(), "--steps", "8", "--out", file.toString()));
        assertTrue(err.toString().contains("--steps does not apply to an autoregressive model"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("sample", "--model", ar.toString(), "--sampler", "ancestral", "--out", file.toString()));
        assertTrue(err.toString().contains("--sampler ancestral is for masked models; this one is autoregressive (use autoregressive)"),
                err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("sample", "--model", masked.toString(), "--sampler", "autoregressive", "--out", file.toString()));
        assertTrue(err.toString().contains("--sampler autoregressive is for autoregressive models; this one is masked (use ancestral or planned)"),
                err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("sample", "--model", ar.toString(), "--order", "confidence", "--out", file.toString()));
        assertTrue(err.toString().contains("--order, --threshold and --block apply to --sampler planned"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("eval-text", "--model", ar.toString(), "--draws", "4"));
        assertTrue(err.toString().contains("--draws and --seed do not apply to an autoregressive model"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("bench", "quality", "--model", ar.toString(), "--steps", "8", "--bpc-draws", "0"));
        assertTrue(err.toString().contains("--steps does not apply to an autoregressive model: it writes its 16 characters in 16 steps"),
                err.toString());
        assertEquals(Cli.BAD_ARGUMENT, cli("bench", "quality", "--model", ar.toString(), "--samplers", "tweedie", "--bpc-draws", "0"));
        assertTrue(err.toString().contains("tweedie is not a sampler for this autoregressive model"), err.toString());
    }

    @Test
    void evalTextReportsTheExactLikelihoodAndBenchQualityOneCell() {
        assertEquals(0, cli("eval-text", "--model", ar.toString(), "--windows", "4"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("(step 2): 4 validation windows of 16 characters"), text);
        double bits = Double.parseDouble(text.replaceAll("(?s).*\nbits/char ([0-9.]+) \\(exact.*", "$1"));
        assertTrue(bits > 3 && bits < 7, text); // two steps from zero logits: near log2 65 = 6.02
        assertEquals(0, cli("bench", "quality", "--model", ar.toString(), "--n", "2", "--bpc-draws", "1"), err.toString());
        text = out.toString();
        assertTrue(text.contains("validation likelihood: ") && text.contains("(exact, "), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("autoregressive\\s+16\\s+16\\s.*%.*")), text);
    }
}
