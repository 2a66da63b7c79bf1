package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code sample} for image models, end to end through the CLI with {@link KnownX0Denoiser} as
 * "fake:digits": its x̂0 for class k has x = (col − 14)/7 in the top half (−2 … 1.86, so both
 * ends clip) and x = −1 + 2k/9 in the bottom half (0 for the null class 10); DDIM ends exactly
 * on x̂0, so every pixel of the output is known.
 */
class CliImageSampleTest {

    @TempDir Path dir;
    private final KnownX0Denoiser fake = new KnownX0Denoiser(CliImageSampleTest::knownX0);

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    static float[] knownX0(int label) {
        float[] x = new float[784];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                x[r * 28 + c] = r < 14 ? (c - 14) / 7f : label == 10 ? 0f : -1 + 2 * label / 9f;
            }
        }
        return x;
    }

    /** The grey level the PNG must hold for x, by DigitImages' rule round(255 · clip((x + 1)/2)). */
    private static int grey(float x) {
        return Math.round(255 * Math.min(1, Math.max(0, (x + 1) / 2)));
    }

    private record Outcome(int code, String out, String err) {
    }

    private Outcome cli(String... args) {
        Function<String, ModelSource> models = v -> v.equals("fake:digits")
                ? new ModelSource.Given("fake:digits", fake, new long[] {1, 28, 28}, false) : ModelSource.parse(v);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override public <K> K create(Class<K> cls) throws Exception {
                if (cls == SampleCommand.class) return cls.cast(new SampleCommand(models));
                if (cls == BenchQualityCommand.class) return cls.cast(new BenchQualityCommand(models));
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(factory, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void pngIsAGridOfCeilSqrtNColumnsWithEveryPixelMappedFromX0() throws IOException {
        Path png = dir.resolve("digits.png");
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "5", "--steps", "4", "--guidance", "1",
                "--scale", "2", "--out", png.toString());
        assertEquals(0, o.code(), o.err());
        BufferedImage image = ImageIO.read(png.toFile());
        // 5 digits → 3 columns × 2 rows of 56-pixel tiles, 2-pixel gaps (gap = scale)
        assertEquals(3 * 56 + 2 * 2, image.getWidth());
        assertEquals(2 * 56 + 2, image.getHeight());
        float[][] x0 = new float[5][];
        for (int k = 0; k < 5; k++) x0[k] = knownX0(k); // --class each: sample k has class k
        for (int k = 0; k < 5; k++) {
            int left = (k % 3) * 58, top = (k / 3) * 58;
            for (int r : new int[] {0, 13, 14, 27}) {
                for (int c : new int[] {0, 6, 7, 14, 27}) {
                    int expected = grey(x0[k][r * 28 + c]);
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            assertEquals(expected, image.getRaster().getSample(left + 2 * c + dx, top + 2 * r + dy, 0),
                                    "digit %d pixel (%d, %d)".formatted(k, r, c));
                        }
                    }
                }
            }
        }
        assertEquals(0, grey(x0[0][0]), "col 0: x = −2 clips to black");
        assertEquals(255, grey(x0[0][27]), "col 27: x = 1.86 clips to white");
        assertEquals(DigitImages_GAP, image.getRaster().getSample(56, 10, 0), "gap between tiles");
        assertTrue(o.out().contains("wrote 5 samples"), o.out());
    }

    @Test
    void dynamicThresholdingDividesEachDigitByIts995thPercentileOfX0() throws IOException {
        Path png = dir.resolve("thresholded.png");
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "2", "--steps", "4", "--guidance", "1",
                "--clip-x0", "dynamic", "--scale", "1", "--out", png.toString());
        assertEquals(0, o.code(), o.err());
        BufferedImage image = ImageIO.read(png.toFile());
        // |x̂0| sorted: the 14 largest are the top half's column 0 (x = −2), so the 99.5th
        // percentile (index 780 of 784) is 2 and x̂0 becomes x̂0/2; DDIM ends on it exactly
        float[] x0 = knownX0(1); // the second digit: class 1
        int left = 28 + 1; // --scale 1: 28-pixel tiles, a 1-pixel gap
        for (int[] at : new int[][] {{0, 0}, {0, 27}, {5, 20}, {20, 3}}) {
            float x = x0[at[0] * 28 + at[1]] / 2;
            assertEquals(grey(x), image.getRaster().getSample(left + at[1], at[0], 0), "pixel " + at[0] + "," + at[1]);
        }
        assertTrue(grey(x0[27] / 2) < 250, "column 27 is no longer white: " + grey(x0[27] / 2));
    }

    private static final int DigitImages_GAP = org.diffusionplayground.model.data.DigitImages.GAP_GREY;

    @Test
    void npyHoldsFloat32NBy28By28InUnitRange() throws IOException {
        Path npy = dir.resolve("digits.npy");
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "3", "--class", "7", "--steps", "3",
                "--guidance", "1", "--out", npy.toString());
        assertEquals(0, o.code(), o.err());
        byte[] bytes = Files.readAllBytes(npy);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (3, 28, 28)"), header);
        float[] v = new float[3 * 784];
        ByteBuffer.wrap(bytes, 10 + headerLength, v.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        assertEquals(bytes.length, 10 + headerLength + v.length * 4);
        float[] x0 = knownX0(7);
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 784; p++) {
                float expected = Math.min(1, Math.max(0, (x0[p] + 1) / 2));
                assertEquals(expected, v[i * 784 + p], 1e-6f, "sample %d pixel %d".formatted(i, p));
            }
        }
    }

    @Test
    void guidanceSendsConditionalAndNullLabelsAsOneDoubledBatch() throws IOException {
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "4", "--class", "3", "--guidance", "2.5",
                "--sampler", "ddim", "--steps", "6", "--out", dir.resolve("g.png").toString());
        assertEquals(0, o.code(), o.err());
        List<int[]> calls = fake.calls();
        assertEquals(6, calls.size(), "one batched call per DDIM step");
        for (int[] labels : calls) assertEquals("[3, 3, 3, 3, 10, 10, 10, 10]", Arrays.toString(labels));
    }

    @Test
    void guidanceOneIsOnePlainConditionalPassAndNoneIsUnconditional() throws IOException {
        assertEquals(0, cli("sample", "--model", "fake:digits", "--n", "4", "--guidance", "1", "--steps", "2",
                "--out", dir.resolve("a.png").toString()).code());
        assertEquals(List.of("[0, 1, 2, 3]", "[0, 1, 2, 3]"), fake.calls().stream().map(Arrays::toString).toList());
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "2", "--class", "none", "--steps", "2",
                "--out", dir.resolve("b.png").toString());
        assertEquals(0, o.code(), o.err());
        assertEquals("[10, 10]", Arrays.toString(fake.calls().get(2)));
        assertEquals(4, fake.calls().size(), "unconditional needs no second pass");
    }

    @Test
    void defaultGuidanceForImagesIsThree() {
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "2", "--steps", "1", "--out", dir.resolve("d.png").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("guidance 3.0"), o.out());
        assertEquals(4, fake.calls().get(0).length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fake:digits|x.csv|--out ('DIR/x.csv'): CSV holds 2-D points; an image model writes .png (a grid) or .npy",
            "fake:digits|x.txt|--out ('DIR/x.txt') must end in .png or .npy",
            "oracle:ring8|x.png|--out ('DIR/x.png'): PNG is for image models; 2-D points are written as .csv or .npy"})
    void wrongOutputFormatForTheModelIsABadArgument(String model, String file, String message) {
        Path out = dir.resolve(file);
        Outcome o = cli("sample", "--model", model, "--n", "2", "--out", out.toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.err());
        assertEquals("error: " + message.replace("DIR", dir.toString()), o.err().strip());
        assertTrue(Files.notExists(out));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--guidance|60|--guidance (60.0) must be in [0.0, 50.0]",
            "--class|11|--class (11) must be in [0, 10]",
            "--class|seven|--class ('seven') must be a class number, none or each",
            "--scale|0|--scale (0) must be in [1, 8]",
            "--n|10001|--n (10001) must be in [1, 10000]"})
    void badImageSampleArgumentGetsOneLineNamingItAndExitCodeTwo(String option, String value, String message) {
        Path png = dir.resolve("never.png");
        Outcome o = cli("sample", "--model", "fake:digits", "--steps", "2", "--out", png.toString(), option, value);
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertEquals("error: " + message, o.err().strip());
        assertTrue(Files.notExists(png));
        assertTrue(fake.calls().isEmpty(), "nothing sampled");
    }

    @Test
    void missingModelNamesWhereItLookedAndExitsTwo() {
        Outcome o = cli("sample", "--model", "mnist-nonexistent", "--out", dir.resolve("x.png").toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: --model ('mnist-nonexistent') must be oracle:<dataset>"), err);
        assertTrue(err.contains("pretrained/mnist-nonexistent.dpck"), err);
    }

    @Test
    void corruptWeightsFileIsNamedWithWhatIsWrongAndExitsTwo() throws IOException {
        Path bad = dir.resolve("broken.dpck");
        Files.write(bad, "DPCKPT01 but then nothing useful".getBytes(StandardCharsets.US_ASCII));
        Outcome o = cli("sample", "--model", bad.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: --model ('" + bad + "'): " + bad), err);
        assertTrue(err.contains("corrupt") || err.contains("truncated"), err);
    }

    @Test
    void runFolderWithoutCheckpointsIsABadArgument() {
        Outcome o = cli("sample", "--model", dir.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.err());
        assertTrue(o.err().contains("is a folder without model.dpck or ckpt-NNNNNNN.dpck"), o.err());
    }

    @Test
    void unwritableOutputIsAnIoErrorWithExitOne() throws IOException {
        Path blocker = dir.resolve("x.png");
        Files.createDirectory(blocker); // a directory where the PNG should go: the rename fails
        Outcome o = cli("sample", "--model", "fake:digits", "--n", "1", "--steps", "1", "--out", blocker.toString());
        assertEquals(Cli.IO_ERROR, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: ") && o.err().contains("x.png"), o.err());
    }

    @Test
    void benchQualityPrintsTheFloorThenOneRowPerCell() {
        Outcome o = cli("bench", "quality", "--model", "fake:digits", "--samplers", "ddim,dpm-solver++", "--steps", "2",
                "--guidance", "1,2", "--n", "20", "--batch", "8");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("model fake:digits, logsnr spacing, 20 generated digits"), lines.get(0));
        assertTrue(lines.get(1).matches("floor: real vs real FID-lite \\d+\\.\\d{3}; classifier accuracy on the real digits \\d\\.\\d{3}"), lines.get(1));
        assertTrue(lines.get(2).matches("sampler\\s+steps\\s+guidance\\s+NFE\\s+FID-lite\\s+accuracy\\s+time \\(s\\)"), lines.get(2));
        assertTrue(lines.get(3).matches("ddim\\s+2\\s+1\\.0\\s+2\\s+\\d+\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d+\\.\\d{2}"), lines.get(3));
        assertTrue(lines.get(4).matches("ddim\\s+2\\s+2\\.0\\s+2\\s+.*"), lines.get(4));
        assertTrue(lines.get(5).matches("dpm-solver\\+\\+\\s+2\\s+1\\.0\\s+\\d+\\s+.*"), lines.get(5));
        assertTrue(lines.get(7).startsWith("total "), lines.get(7));
        assertEquals(8, lines.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--guidance|1,x|--guidance ('1,x') must be a comma-separated list of numbers in [0.0, 50.0]",
            "--guidance|-1|--guidance (-1.0) must be in [0.0, 50.0]",
            "--n|10|--n (10) must be in [20, 500]",
            "--n|501|--n (501) must be in [20, 500]",
            "--steps|0|--steps (0) must be in [1, 1000]",
            "--samplers|plms|--samplers ('plms') must be one of ",
            "--batch|0|--batch (0) must be in [1, 1024]",
            "--model|oracle:ring8|--model ('oracle:ring8'): bench quality needs an MNIST image model",
            "--classifier|/no/such.sd|--classifier ('/no/such.sd'): no such file"})
    void badBenchQualityArgumentGetsOneLineNamingItAndExitCodeTwo(String option, String value, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "quality", "--model", "fake:digits", "--n", "20"));
        int at = args.indexOf(option);
        if (at >= 0) args.set(at + 1, value); else { args.add(option); args.add(value); }
        Outcome o = cli(args.toArray(String[]::new));
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: " + message), o.err());
        assertTrue(fake.calls().isEmpty(), "nothing sampled");
    }

    @Test
    void benchQualityWithoutAShippedModelRequiresModelAndSaysWhereItLooked() throws IOException {
        assertEquals(org.diffusionplayground.model.checkpoint.ModelLoader.DEFAULT_PRETRAINED,
                BenchQualityCommand.defaultModel(org.diffusionplayground.model.checkpoint.ModelLoader.DEFAULT_PRETRAINED));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchQualityCommand.defaultModel("mnist-not-shipped"));
        assertTrue(e.getMessage().startsWith("--model is required: no shipped model (")
                && e.getMessage().contains("mnist-not-shipped.dpck"), e.getMessage());
    }
}
