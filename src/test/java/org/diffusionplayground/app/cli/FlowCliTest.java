package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.train.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The flow side of the CLI: {@code sample --process flow}, {@code bench samplers --process flow}, {@code train --objective flow|reflow}. */
class FlowCliTest {

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

    /** RK4 on the exact velocity, 10 uniform steps (40 NFE): points on ring8's radius 2. */
    @Test
    void samplesTheExactFlowOfRing8WithRk4() throws IOException {
        Path csv = dir.resolve("flow.csv");
        Outcome o = cli("sample", "--model", "oracle:ring8", "--process", "flow", "--sampler", "rk4", "--steps", "10",
                "--n", "400", "--seed", "3", "--out", csv.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("rk4, 10 trailing-spaced steps on linear-interpolant") && o.out().contains("NFE 40"), o.out());
        List<String> lines = Files.readAllLines(csv);
        double meanRadius = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            meanRadius += Math.hypot(Double.parseDouble(p[0]), Double.parseDouble(p[1])) / 400;
        }
        assertEquals(2.0, meanRadius, 0.05, "ring8 sits at radius 2");
    }

    @Test
    void benchSamplersOnTheFlowRunsTheFlowIntegratorsWithTheirOdeError() {
        Outcome o = cli("bench", "samplers", "--process", "flow", "--samplers", "euler,rk4", "--steps", "4,16", "--n", "300",
                "--reference", "2000", "--projections", "32", "--ode-error");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ring8, flow on the linear interpolant, trailing spacing"), lines.get(0));
        assertTrue(lines.get(3).matches("euler\\s+4\\s+4\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d\\s+\\S+e-\\d+"), lines.get(3));
        assertTrue(lines.get(5).matches("rk4\\s+4\\s+16\\s+.*"), lines.get(5));
        double rk4At4 = Double.parseDouble(lines.get(5).trim().split("\\s+")[5]);
        double rk4At16 = Double.parseDouble(lines.get(6).trim().split("\\s+")[5]);
        double eulerAt16 = Double.parseDouble(lines.get(4).trim().split("\\s+")[5]);
        assertTrue(rk4At16 < rk4At4 / 20 && rk4At16 < eulerAt16 / 20, o.out()); // order 4 against order 1
        assertTrue(lines.get(7).startsWith("ODE reference's own error"), lines.get(7));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sample --model oracle:ring8 --process sideways --out x.csv|--process ('sideways') must be diffusion or flow",
        "sample --model oracle:ring8 --process flow --schedule cosine --out x.csv|--schedule applies to --process diffusion",
        "sample --model mnist-small --process flow --out x.png|--process applies to oracles",
        "bench samplers --process flow --schedule vp|--schedule applies to --process diffusion"})
    void refusesFlowOptionsThatDoNotApply(String args, String message) {
        String[] parts = args.split(" ");
        for (int i = 0; i < parts.length; i++) if (parts[i].endsWith(".csv") || parts[i].endsWith(".png")) parts[i] = dir.resolve(parts[i]).toString();
        Outcome o = cli(parts);
        assertEquals(Cli.BAD_ARGUMENT, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(message), o.err());
    }

    /** 2-D flow and reflow train the MLP on the interpolant, checkpoint and resume; images train a velocity U-Net. */
    @Test
    void trainsAFlowMlpAReflowMlpAndAFlowUNet() throws Exception {
        for (String objective : new String[] {"flow", "reflow"}) {
            Path run = dir.resolve(objective);
            Outcome o = cli("train", "--dataset", "ring8", "--objective", objective, "--steps", "3", "--batch", "16",
                    "--checkpoint-every", "2", "--out", run.toString(), "--no-progress");
            assertEquals(0, o.code(), o.err());
            Checkpoint c = new RunFolder(run).latest();
            assertEquals(3, c.step());
            MlpConfig mlp = (MlpConfig) c.model();
            assertEquals(Parameterization.U, mlp.parameterization());
            assertEquals(LinearInterpolant.NAME, mlp.noiseSchedule().name());
            o = cli("train", "--resume", run.toString(), "--dataset", "ring8", "--objective", objective, "--steps", "4", "--no-progress");
            assertEquals(0, o.code(), o.err());
            assertEquals(4, new RunFolder(run).latest().step());
        }
        Outcome missing = cli("train", "--resume", dir.resolve("flow").toString(), "--steps", "5");
        assertEquals(Cli.BAD_ARGUMENT, missing.code());
        assertTrue(missing.err().contains("pass --dataset"), missing.err());

        Path unet = dir.resolve("unet");
        Outcome o = cli("train", "--objective", "flow", "--steps", "1", "--batch", "2", "--out", unet.toString(), "--no-progress");
        assertEquals(0, o.code(), o.err());
        UNetConfig config = (UNetConfig) new RunFolder(unet).latest().model();
        assertEquals(Parameterization.U, config.parameterization());
        assertEquals(LinearInterpolant.NAME, config.schedule());
        // the flow U-Net samples through the same CLI: RK4, 2 uniform steps (8 NFE), guided (both halves in one batch)
        Path png = dir.resolve("flow.png");
        Outcome sampled = cli("sample", "--model", unet.toString(), "--sampler", "rk4", "--spacing", "trailing", "--steps", "2",
                "--n", "2", "--out", png.toString());
        assertEquals(0, sampled.code(), sampled.err());
        assertTrue(sampled.out().contains("on linear-interpolant") && sampled.out().contains("NFE 8"), sampled.out());
        assertTrue(Files.size(png) > 0);
        Outcome predict = cli("train", "--objective", "flow", "--predict", "eps", "--out", dir.resolve("u2").toString());
        assertTrue(predict.code() == Cli.BAD_ARGUMENT && predict.err().contains("--predict applies to --objective diffusion"),
                predict.err());
        Outcome reflowImages = cli("train", "--objective", "reflow", "--out", dir.resolve("u3").toString());
        assertTrue(reflowImages.code() == Cli.BAD_ARGUMENT && reflowImages.err().contains("reflow needs a 2-D"), reflowImages.err());
    }
}
