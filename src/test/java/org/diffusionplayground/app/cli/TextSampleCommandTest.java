package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample} on text models: a tiny masked and a tiny uniform model trained here for two steps. */
class TextSampleCommandTest {

    @TempDir static Path dir;
    static Path masked, uniform;

    @BeforeAll
    static void models() {
        NativeBuild.configure();
        masked = dir.resolve("masked");
        uniform = dir.resolve("uniform");
        for (Path run : List.of(masked, uniform)) {
            int code = Cli.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "train", "--dataset", "shakespeare",
                    "--process", run == masked ? "absorbing" : "uniform", "--model", "tiny", "--steps", "2", "--batch", "2",
                    "--out", run.toString(), "--no-progress");
            assertEquals(0, code);
        }
    }

    final StringWriter out = new StringWriter(), err = new StringWriter();

    int sample(Path model, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "sample";
        all[1] = "--model";
        all[2] = model.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    static List<String> samples(Path file) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.endsWith("\n"), "the file ends with a line break");
        return List.of(text.substring(0, text.length() - 1).split("\n" + TextSampling.SEPARATOR + "\n", -1));
    }

    @Test
    void writesTheSamplesSeparatedByLinesAndCountsTheNfe() throws Exception {
        Path file = dir.resolve("a.txt");
        assertEquals(0, sample(masked, "--n", "3", "--steps", "8", "--length", "10", "--out", file.toString(), "--no-cache"), err.toString());
        List<String> s = samples(file);
        assertEquals(3, s.size());
        for (String one : s) assertEquals(10, one.length(), one);
        assertTrue(out.toString().contains("ancestral, top-p 0.9, 8 steps, NFE 8"), "the default filter, said: " + out);
    }

    @Test
    void aTemplateKeepsItsCharactersForEverySampler() throws Exception {
        String template = "To be, or _____ be: that is ___"; // tiny's context is 16: cut to it
        template = template.substring(0, 16);
        for (String[] args : List.of(new String[] {"--order", "confidence"}, new String[] {"--remask", "0.3"},
                new String[] {"--threshold", "0.5", "--block", "4"})) {
            Path file = dir.resolve("t.txt");
            String[] all = new String[args.length + 6];
            System.arraycopy(new String[] {"--n", "2", "--template", template, "--out", file.toString()}, 0, all, 0, 6);
            System.arraycopy(args, 0, all, 6, args.length);
            assertEquals(0, sample(masked, all), err.toString());
            for (String s : samples(file)) {
                assertEquals(template.length(), s.length());
                for (int i = 0; i < template.length(); i++) {
                    if (template.charAt(i) != '_') assertEquals(template.charAt(i), s.charAt(i), "position " + i + " of " + s);
                }
            }
        }
        Path file = dir.resolve("u.txt");
        assertEquals(0, sample(uniform, "--n", "2", "--sampler", "euler", "--steps", "4", "--prompt", "KING", "--out", file.toString()),
                err.toString());
        for (String s : samples(file)) assertTrue(s.startsWith("KING") && s.length() == 16, s);
        assertTrue(out.toString().contains("uniform model"), out.toString());
    }

    @Test
    void benchQualityOfATextModelPrintsTheRealTextFloorAndACellPerSamplerAndSteps() {
        assertEquals(0, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "quality", "--model", masked.toString(),
                "--n", "3", "--steps", "2,4", "--bpc-draws", "2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("validation bound: "), text);
        String floor = text.lines().filter(l -> l.startsWith("real text (validation)")).findFirst().orElseThrow();
        double realWords = Double.parseDouble(floor.replaceAll(".*\\s([0-9.]+)%.*", "$1"));
        assertTrue(realWords > 50, floor); // 16-character windows cut words at both ends
        for (String sampler : List.of("ancestral", "planned:confidence", "planned:margin", "planned:entropy")) {
            for (String steps : List.of("2", "4")) {
                assertTrue(text.lines().anyMatch(l -> l.matches(sampler.replace(".", "\\.") + "\\s+" + steps + "\\s+\\d+\\s.*%.*")),
                        sampler + " × " + steps + " in\n" + text);
            }
        }
        assertEquals(Cli.BAD_ARGUMENT, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "quality", "--model",
                uniform.toString(), "--samplers", "ancestral", "--bpc-draws", "0"));
        assertTrue(err.toString().contains("ancestral is not a sampler for this uniform model"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "quality", "--model",
                uniform.toString(), "--samplers", "tweedie/t=0.5", "--bpc-draws", "0"));
        assertTrue(err.toString().contains("the uniform samplers take no temperature"), err.toString());
    }

    @Test
    void benchTextPageTimesThePagesRunToItsFirstStepAndItsEnd() {
        assertEquals(0, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "text-page", "--model", masked.toString(),
                "--steps", "4", "--length", "10", "--runs", "3"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("masked model: 10 characters, ancestral 4 steps (top-p 0.9), 3 runs"), text);
        List<String> runs = text.lines().filter(l -> l.startsWith("run ")).toList();
        assertEquals(3, runs.size(), text);
        for (String r : runs) {
            double first = Double.parseDouble(r.replaceAll(".*first step ([0-9.]+) s.*", "$1"));
            double done = Double.parseDouble(r.replaceAll(".*done ([0-9.]+) s.*", "$1"));
            assertTrue(first > 0 && first <= done, r);
            int nfe = Integer.parseInt(r.replaceAll(".*NFE (\\d+)$", "$1"));
            assertTrue(nfe >= 1 && nfe <= 4, "the cache skips steps that reveal nothing: " + r);
        }
        assertTrue(text.contains("median of runs 2-3: first step "), text);
        assertEquals(Cli.BAD_ARGUMENT, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "text-page", "--model",
                masked.toString(), "--length", "17"));
        assertTrue(err.toString().contains("--length"), err.toString());
    }

    @Test
    void benchQualityTakesAFilterPerCell() {
        StringWriter out = new StringWriter();
        assertEquals(0, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "quality", "--model", masked.toString(),
                "--n", "3", "--steps", "4", "--bpc-draws", "0", "--samplers", "ancestral/t=0.8/p=0.9,ancestral/k=1"), err.toString());
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ancestral/t=0.8/p=0.9 ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ancestral/k=1 ")), text);
        assertEquals(Cli.BAD_ARGUMENT, Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "quality", "--model",
                masked.toString(), "--samplers", "ancestral/q=2", "--bpc-draws", "0"));
        assertTrue(err.toString().contains("a filter reads t=τ, k=K or p=P"), err.toString());
    }

    @Test
    void optionsThatDoNotFitTheModelAreRefusedByName() {
        Path file = dir.resolve("x.txt");
        assertEquals(Cli.BAD_ARGUMENT, sample(masked, "--sampler", "tweedie", "--out", file.toString()));
        assertTrue(err.toString().contains("--sampler tweedie is for uniform models; this one is masked"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, sample(uniform, "--temperature", "0.5", "--out", file.toString()));
        assertTrue(err.toString().contains("--temperature, --top-k and --top-p apply to masked and autoregressive models"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, sample(masked, "--template", "ab\u00e9", "--out", file.toString()));
        assertTrue(err.toString().contains("--template"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, sample(masked, "--length", "17", "--out", file.toString()));
        assertTrue(err.toString().contains("--length"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, sample(masked, "--out", dir.resolve("x.png").toString()));
        assertTrue(err.toString().contains("must be a .txt file"), err.toString());
        assertEquals(Cli.BAD_ARGUMENT, sample(Path.of("oracle:ring8"), "--prompt", "hi", "--out", dir.resolve("p.csv").toString()));
        assertTrue(err.toString().contains("--prompt applies to text models only"), err.toString());
        assertTrue(!Files.exists(file), "nothing written");
    }
}
