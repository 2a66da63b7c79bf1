package org.diffusionplayground.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.train.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @TempDir Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** As Cli does: IllegalArgumentException → "error: …", exit 2. */
    int run(String... args) {
        CommandLine cli = new CommandLine(new TrainCommand());
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (!(ex instanceof IllegalArgumentException)) throw ex;
            cmd.getErr().println("error: " + ex.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Test
    void aDataSetTooLargeForTheHeapIsRefusedInOneLineBeforeLoading() throws Exception {
        Path data = Files.createDirectory(dir.resolve("huge"));
        try (var o = new java.io.DataOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte")))) {
            o.writeInt(2051); // 100 million 28×28 images promised; none there
            o.writeInt(100_000_000);
            o.writeInt(28);
            o.writeInt(28);
        }
        Files.write(data.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", "--data", data.toString(),
                "--out", dir.resolve("run").toString(), "--steps", "1", "--no-progress");
        assertEquals(Cli.IO_ERROR, code);
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("error: " + data.resolve("train-images-idx3-ubyte") + ": 100,000,000 images of 28×28 need"
                + " 365.1 GB of Java heap to train on"), line);
        assertTrue(line.matches(".*only .* of the .* maximum is free: start Java with -Xmx\\d+g or more.*"), line);
        assertTrue(!Files.exists(dir.resolve("run").resolve("loss.csv")), "nothing was written");
    }

    @Test
    void trainsWritesCheckpointsAndLogAndResumes() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, run("--out", run.toString(), "--steps", "2", "--batch", "4", "--checkpoint-every", "1",
                "--no-progress"), err.toString());
        assertEquals(2, new RunFolder(run).latest().step());
        assertEquals(3, Files.readAllLines(run.resolve("loss.csv")).size()); // header + 2 steps
        assertTrue(Files.isRegularFile(run.resolve("model.dpck")));

        assertEquals(0, run("--resume", run.toString(), "--steps", "3", "--no-progress"),
                err.toString());
        assertTrue(out.toString().contains("resuming") && out.toString().contains("at step 2 of 3"), out.toString());
        assertEquals(3, new RunFolder(run).latest().step());
        assertEquals(4, Files.readAllLines(run.resolve("loss.csv")).size());
    }

    @Test
    void trainsAndResumesATextModel() throws Exception {
        Path run = dir.resolve("text");
        assertEquals(0, run("--dataset", "shakespeare", "--process", "absorbing", "--model", "tiny", "--out", run.toString(),
                "--steps", "2", "--batch", "2", "--checkpoint-every", "1", "--no-progress"), err.toString());
        assertTrue(out.toString().contains("seq/s"), out.toString());
        assertEquals("ddit", new RunFolder(run).latest().model().architecture().id());
        assertEquals(0, run("--resume", run.toString(), "--steps", "3", "--no-progress"), err.toString());
        assertTrue(out.toString().contains("at step 2 of 3"), out.toString());
        assertEquals(3, new RunFolder(run).latest().step());

        StringWriter evalOut = new StringWriter();
        CommandLine eval = new CommandLine(new EvalTextCommand());
        eval.setOut(new PrintWriter(evalOut, true)).setErr(new PrintWriter(err, true));
        assertEquals(0, eval.execute("--model", run.toString(), "--windows", "4", "--draws", "2"), err.toString());
        assertTrue(evalOut.toString().contains("(step 3): 4 validation windows of 16 characters, 2 draws")
                && evalOut.toString().contains("bits/char"), evalOut.toString());
    }

    @Test
    void trainsAUniformTextModelAndEvaluatesItsScoreEntropyBound() throws Exception {
        Path run = dir.resolve("uniform");
        assertEquals(0, run("--dataset", "shakespeare", "--process", "uniform", "--model", "tiny", "--out", run.toString(),
                "--steps", "2", "--batch", "2", "--checkpoint-every", "1", "--no-progress"), err.toString());
        var model = (org.diffusionplayground.model.nn.transformer.TransformerConfig) new RunFolder(run).latest().model();
        assertEquals("uniform", model.process());
        assertEquals(org.diffusionplayground.model.schedule.GeometricNoise.sedd(), model.geometricNoise());
        StringWriter evalOut = new StringWriter();
        CommandLine eval = new CommandLine(new EvalTextCommand());
        eval.setOut(new PrintWriter(evalOut, true)).setErr(new PrintWriter(err, true));
        assertEquals(0, eval.execute("--model", run.toString(), "--windows", "4", "--draws", "2"), err.toString());
        assertTrue(evalOut.toString().contains("(step 2): 4 validation windows of 16 characters, 2 draws"), evalOut.toString());
        double bits = Double.parseDouble(evalOut.toString().replaceAll("(?s).*\nbits/char ([0-9.]+).*", "$1"));
        assertTrue(bits > 0 && Double.isFinite(bits), evalOut.toString()); // the score entropy is ≥ 0 term by term
    }

    @Test
    void rejectsOptionsThatDoNotFitTheDataset() {
        assertEquals(2, run("--out", dir.resolve("a").toString(), "--process", "absorbing"));
        assertTrue(err.toString().contains("--process applies to text"), err.toString());
        assertEquals(2, run("--out", dir.resolve("b").toString(), "--dataset", "shakespeare", "--predict", "eps"));
        assertTrue(err.toString().contains("--predict applies to images"), err.toString());
        assertEquals(2, run("--out", dir.resolve("c").toString(), "--dataset", "shakespeare", "--process", "gaussian"));
        assertTrue(err.toString().contains("--process must be absorbing, uniform or autoregressive, got gaussian"), err.toString());
        assertEquals(2, run("--out", dir.resolve("d").toString(), "--dataset", "shakespeare", "--model", "reference"));
        assertTrue(err.toString().contains("unknown transformer preset 'reference'"), err.toString());
    }

    @Test
    void refusesToOverwriteARunAndRejectsBadOptions() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, run("--out", run.toString(), "--steps", "1", "--batch", "2", "--no-progress"), err.toString());
        assertEquals(2, run("--out", run.toString(), "--steps", "1", "--no-progress"));
        assertTrue(err.toString().contains("--resume"), err.toString());
        assertEquals(2, run("--out", dir.resolve("b").toString(), "--model", "huge"));
        assertTrue(err.toString().contains("unknown model \"huge\""), err.toString());
        assertEquals(2, run("--out", dir.resolve("c").toString(), "--dataset", "fashion-mnist"));
        assertTrue(err.toString().contains("--data DIR"), err.toString());
    }
}
