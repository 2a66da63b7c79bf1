package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI through {@link Cli#run(PrintWriter, PrintWriter, String...)}: exit codes and output. */
class CliSampleAndBenchTest {

    @TempDir Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void sampleWritesOneRowOfTwoFiniteNumbersPerSampleAfterAHeader() throws IOException {
        Path csv = dir.resolve("ring8.csv");
        Outcome o = cli("sample", "--model", "oracle:ring8", "--sampler", "ddim", "--steps", "20",
                "--n", "300", "--seed", "7", "--out", csv.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x,y", lines.get(0));
        assertEquals(301, lines.size());
        double meanRadius = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(",");
            assertEquals(2, parts.length, line);
            double x = Double.parseDouble(parts[0]), y = Double.parseDouble(parts[1]);
            assertTrue(Double.isFinite(x) && Double.isFinite(y), line);
            meanRadius += Math.hypot(x, y) / 300;
        }
        assertEquals(2.0, meanRadius, 0.1, "ring8 samples sit near radius 2");
        assertTrue(o.out().contains("wrote 300 samples"), o.out());
    }

    @Test
    void sameSeedWritesTheSameFileAndNoHeaderDropsTheHeader() throws IOException {
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv");
        String[] common = {"sample", "--model", "oracle:moons", "--steps", "10", "--eta", "0.5", "--n", "50",
                "--seed", "3", "--schedule", "cosine", "--spacing", "trailing"};
        assertEquals(0, cli(concat(common, "--out", a.toString())).code());
        assertEquals(0, cli(concat(common, "--out", b.toString(), "--no-header")).code());
        List<String> withHeader = Files.readAllLines(a), without = Files.readAllLines(b);
        assertEquals(withHeader.subList(1, withHeader.size()), without);
    }

    @Test
    void classConditionalSamplingOfTheOracleStaysInOneMode() throws IOException {
        Path csv = dir.resolve("mode2.csv");
        Outcome o = cli("sample", "--model", "oracle:ring8", "--class", "2", "--steps", "30", "--n", "100",
                "--out", csv.toString(), "--no-header");
        assertEquals(0, o.code(), o.err());
        for (String line : Files.readAllLines(csv)) {
            String[] p = line.split(",");
            // mode 2 is centred at (0, 2)
            assertTrue(Math.hypot(Double.parseDouble(p[0]), Double.parseDouble(p[1]) - 2) < 0.8, line);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--steps|0|--steps (0) must be in [1, 1000]",
            "--steps|1001|--steps (1001) must be in [1, 1000]",
            "--n|0|--n (0) must be in [1, 100000]",
            "--eta|1.5|--eta (1.5) must be in [0.0, 1.0]",
            "--order|4|--order (4) must be in [1, 3]",
            "--clip-x0|soft|--clip-x0 ('soft') must be one of none, static, dynamic",
            "--sampler|plms|--sampler ('plms') must be one of ",
            "--spacing|karras|--spacing ('karras') must be one of linear, leading, trailing, logsnr",
            "--schedule|sigmoid|--schedule ('sigmoid') must be one of ddpm, cosine, cosine-logsnr, vp",
            "--model|oracle:ring9|--model ('oracle:ring9') must be oracle:<dataset> with dataset one of ring8, gaussian, moons, spiral, checkerboard",
            "--model|unet.zip|--model ('unet.zip') must be oracle:<dataset>",
            "--class|9|--class (9) must be in [0, 8]",
            "--steps|ten|'--steps'"})
    void badSampleArgumentGetsOneLineNamingItAndExitCodeTwo(String option, String value, String message) {
        Path csv = dir.resolve("never.csv");
        List<String> args = new java.util.ArrayList<>(List.of("sample", "--model", "oracle:ring8", "--steps", "5",
                "--n", "10", "--out", csv.toString()));
        int at = args.indexOf(option);
        if (at >= 0) args.set(at + 1, value); else { args.add(option); args.add(value); }
        Outcome o = cli(args.toArray(String[]::new));
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: ") && o.err().contains(message), o.err());
        assertTrue(Files.notExists(csv));
    }

    @Test
    void missingOutputDirectoryIsABadArgument() {
        Outcome o = cli("sample", "--model", "oracle:ring8", "--out", dir.resolve("no/such/dir/x.csv").toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code());
        assertTrue(o.err().contains("--out"), o.err());
    }

    @Test
    void clipX0IsRefusedForTwoDimensionalDataOutsideTheUnitSquare() {
        Outcome o = cli("sample", "--model", "oracle:ring8", "--clip-x0", "static", "--out", dir.resolve("r.csv").toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("error: --clip-x0 (static) is for image models"), o.err());
    }

    @Test
    void benchSamplersPrintsATableWithTheExactFloorAndOneRowPerCase() {
        Outcome o = cli("bench", "samplers", "--samplers", "ddim", "--steps", "4,16", "--n", "500",
                "--reference", "2000", "--projections", "32");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ring8, ddpm schedule, logsnr spacing"), lines.get(0));
        assertTrue(lines.get(1).matches("sampler\\s+steps\\s+NFE\\s+SW-2\\s+time \\(ms\\)"), lines.get(1));
        assertTrue(lines.get(2).matches("exact\\s+-\\s+0\\s+\\d+\\.\\d{4}\\s+-"), lines.get(2));
        assertTrue(lines.get(3).matches("ddim\\s+4\\s+4\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d"), lines.get(3));
        assertTrue(lines.get(4).matches("ddim\\s+16\\s+16\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d"), lines.get(4));
        assertEquals(5, lines.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--steps|0,5|--steps (0) must be in [1, 1000]",
            "--steps|5,x|--steps ('5,x') must be a comma-separated list of integers in [1, 1000]",
            "--samplers|ddim,foo|--samplers ('foo') must be one of ",
            "--dataset|swissroll|--dataset ('swissroll') must be one of ring8, gaussian, moons, spiral, checkerboard",
            "--projections|0|--projections (0) must be in [1, 10000]",
            "--n|1|--n (1) must be in [2, 100000]"})
    void badBenchArgumentGetsOneLineNamingItAndExitCodeTwo(String option, String value, String message) {
        Outcome o = cli("bench", "samplers", option, value);
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: ") && o.err().contains(message), o.err());
    }

    @Test
    void benchNetworkPrintsFastAndSameDiffForwardTimesATrainingStepAndTheGuidedGrid() {
        Outcome o = cli("bench", "network", "--models", "small", "--reps", "1", "--train-steps", "1",
                "--train-batch", "4");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        String ms = "\\s+(\\d+\\.\\d)ms";
        assertTrue(lines.get(0).startsWith("backend: CPU"), lines.get(0));
        assertTrue(lines.get(1).startsWith("path: the hand-written passes"), lines.get(1));
        assertTrue(lines.get(1).endsWith("U-Net forward convolutions: " + org.diffusionplayground.model.runtime.Backend.convolutions()), lines.get(1));
        assertTrue(lines.get(3).matches("model\\s+params\\s+forward\\s+fwd b1\\s+fwd b16\\s+fwd b32\\s+fwd b64\\s+train b4\\s+peak RSS train/all"),
                lines.get(3));
        assertTrue(lines.get(4).matches("small\\s+234,961\\s+fast" + ms.repeat(4) + "\\s+\\d+ms\\s+\\d+ / \\d+ MB"), lines.get(4));
        assertTrue(lines.get(5).matches("\\s+samediff" + ms.repeat(4)), lines.get(5));
        String grid = lines.get(lines.size() - 1);
        assertTrue(grid.matches("guided 4x4 grid, shipped mnist-small \\(step \\d+\\): .*, as the app samples \\(two lanes of one OpenMP thread\\): \\d+ ms \\(median of 1\\)"),
                grid);
    }

    @Test
    void benchNetworkTimesATransformerBothWays() {
        Outcome o = cli("bench", "network", "--models", "ddit-tiny", "--reps", "1", "--train-steps", "1", "--train-batch", "2",
                "--no-grid");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        String ms = "\\s+(\\d+\\.\\d)ms";
        assertTrue(lines.get(4).matches("ddit-tiny\\s+[\\d,]+\\s+fast" + ms.repeat(4) + "\\s+\\d+ms\\s+\\d+ / \\d+ MB"), lines.get(4));
        assertTrue(lines.get(5).matches("\\s+samediff" + ms.repeat(4)), lines.get(5));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("guided 4x4 grid")), "--no-grid skips the grid");
        Outcome bad = cli("bench", "network", "--models", "ddit-huge", "--no-grid");
        assertEquals(Cli.BAD_ARGUMENT, bad.code());
        assertTrue(bad.err().contains("unknown transformer preset 'huge'"), bad.err());
        Outcome tooMany = cli("bench", "network", "--models", "ddit-tiny", "--no-grid", "--sampling-runs", "101");
        assertEquals(Cli.BAD_ARGUMENT, tooMany.code());
        assertTrue(tooMany.err().contains("--sampling-runs"), tooMany.err());
    }

    @Test
    void benchWithoutASubcommandIsABadArgument() {
        Outcome o = cli("bench");
        assertEquals(Cli.BAD_ARGUMENT, o.code());
        assertTrue(o.err().contains("samplers"), o.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
