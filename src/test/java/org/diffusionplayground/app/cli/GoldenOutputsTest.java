package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionplayground.model.data.Npy;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI reproduces, to 1e-5, the outputs captured in {@code src/test/resources/golden/core/}
 * before the sampling recipe was written once (commit "Golden outputs of today's samplers"): the
 * shipped model's NPY images, the ring8 oracle's CSV points per sampler, and the NFE and SW-2
 * columns of {@code bench samplers}. Same x_T, same noise draws, same guidance rule.
 */
class GoldenOutputsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/core");
    /**
     * Float rounding, not algorithm: the U-Net's GroupNorm sums its values in a different order since
     * its pass went NHWC, which moved one value of 12 DPM-Solver-3 steps by 1.1·10⁻⁵; a changed
     * sampler or network moves them by far more than this.
     */
    private static final double TOLERANCE = 3e-5;

    @TempDir Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dpmpp.npy|--sampler dpm-solver++ --steps 20 --guidance 3 --n 16 --seed 7",
            "ddpm.npy |--sampler ddpm --steps 10 --guidance 1 --n 8 --seed 3",
            "ddim.npy |--sampler ddim --eta 0.5 --steps 10 --guidance 3 --clip-x0 dynamic --n 8 --seed 5",
            "dpm3.npy |--sampler dpm-solver --order 3 --steps 12 --guidance 2 --spacing logsnr --n 8 --seed 9 --class none",
            "em.npy   |--sampler euler-maruyama --steps 30 --n 4 --seed 11",
            "heun.npy |--sampler heun --steps 8 --n 4 --seed 13 --class 7"})
    void shippedModelImagesMatchTheCapturedNpy(String file, String options) throws IOException {
        Path out = dir.resolve(file);
        List<String> args = new ArrayList<>(List.of("sample", "--model", "mnist-small", "--out", out.toString()));
        args.addAll(List.of(options.split(" ")));
        cli(args.toArray(String[]::new));
        Npy.Float32 expected = Npy.readFloat32(GOLDEN.resolve(file)), actual = Npy.readFloat32(out);
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.data(), a = actual.data();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOLERANCE, "%s: value %d (image %d)".formatted(file, i, i / 784));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpm", "ddim", "dpm-solver", "dpm-solver++", "euler", "heun", "euler-maruyama"})
    void ring8OraclePointsMatchTheCapturedCsv(String sampler) throws IOException {
        Path out = dir.resolve(sampler + ".csv");
        cli("sample", "--model", "oracle:ring8", "--sampler", sampler, "--steps", "15", "--n", "200", "--seed", "1",
                "--out", out.toString());
        List<String> expected = Files.readAllLines(GOLDEN.resolve("ring8-" + sampler + ".csv"));
        List<String> actual = Files.readAllLines(out);
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.get(0), actual.get(0));
        for (int row = 1; row < expected.size(); row++) {
            String[] e = expected.get(row).split(","), a = actual.get(row).split(",");
            for (int c = 0; c < 2; c++) {
                assertEquals(Double.parseDouble(e[c]), Double.parseDouble(a[c]), TOLERANCE,
                        "%s: row %d column %d".formatted(sampler, row, c));
            }
        }
    }

    /**
     * Times vary from run to run; the sampler, steps, NFE and SW-2 (printed to 4 decimals) must
     * not. Every case starts from the same x_T and is scored against the same reference, so a
     * run of the cheap step counts alone reproduces those rows of the full table (the 50-, 100-
     * and 1000-step rows take most of its ~7 s).
     */
    @Test
    void benchSamplersHasTheCapturedNfeAndSlicedWasserstein() throws IOException {
        List<String> expected = Files.readAllLines(GOLDEN.resolve("bench-samplers.txt"));
        List<String> actual = cli("bench", "samplers", "--steps", "5,10,20").lines().toList();
        assertEquals(expected.subList(0, 2), actual.subList(0, 2));
        Map<String, String[]> golden = new HashMap<>();
        for (String line : expected.subList(2, expected.size())) {
            String[] columns = line.trim().split("\\s+");
            golden.put(columns[0] + " " + columns[1], columns);
        }
        assertEquals(1 + 7 * 3, actual.size() - 2, "the exact row, then 7 samplers × 3 step counts");
        for (String line : actual.subList(2, actual.size())) {
            String[] a = line.trim().split("\\s+"), e = golden.get(a[0] + " " + a[1]);
            assertEquals(e[2], a[2], "NFE: " + line);
            assertEquals(Double.parseDouble(e[3]), Double.parseDouble(a[3]), 1e-4 + 1e-12, "SW-2: " + line);
        }
    }
}
