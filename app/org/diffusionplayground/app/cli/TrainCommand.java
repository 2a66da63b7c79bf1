package org.diffusionplayground.app.cli;

import org.diffusionplayground.model.objective.GaussianDiffusion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.objective.Objective;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.diffusionplayground.model.train.LossLog;
import org.diffusionplayground.model.train.RunFolder;
import org.diffusionplayground.model.train.TrainConfig;
import org.diffusionplayground.model.train.TrainListener;
import org.diffusionplayground.model.train.TrainOutcome;
import org.diffusionplayground.model.train.TrainStep;
import org.diffusionplayground.model.train.Trainer;
import org.diffusionplayground.model.data.TrainingSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains the class-conditional U-Net on images, or the DDiT transformer on text
 * ({@code --dataset shakespeare}, {@link TextTraining}), with a progress bar and ETA, a loss log
 * ({@code OUT/loss.csv}) and checkpoints in {@code OUT}. Ctrl-C stops after the current step and
 * writes a checkpoint; {@code --resume OUT} continues the same loss curve (the checkpoint names its
 * network, which picks the objective).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the class-conditional U-Net on MNIST or Fashion-MNIST (diffusion or flow matching), the small MLP on "
                + "2-D toy data (diffusion, flow or reflow), or a text diffusion transformer (or its left-to-right baseline) on Shakespeare.")
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "mnist",
            description = "mnist, fashion-mnist, shakespeare, or a 2-D toy set (ring8, gaussian, moons, spiral, checkerboard: the small MLP) (default ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", description = "folder of IDX files (default: the bundled 9k MNIST subset); for text a UTF-8 file (default: the bundled tiny Shakespeare)")
    Path data;

    @Option(names = "--model", defaultValue = "small",
            description = "images: small or reference; text: tiny, small or base (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--process", description = "text only: absorbing (masked diffusion, MDLM; the default), uniform (SEDD), "
            + "or autoregressive (the left-to-right baseline of the same size)")
    String process;

    @Option(names = "--predict", defaultValue = "v", description = "diffusion: v or eps (default ${DEFAULT-VALUE}); a flow predicts the velocity")
    String predict;

    @Option(names = "--objective", defaultValue = "diffusion", description = {
            "images and 2-D: diffusion (default) or flow (flow matching: the velocity u = ε − x0 on the linear",
            "interpolant); 2-D also reflow (rectified flow on pairs from the dataset's exact flow)"})
    String objective;

    @Option(names = "--steps", defaultValue = "4000", description = "total steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "images per step (default ${DEFAULT-VALUE})") int batch;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam's learning rate (default ${DEFAULT-VALUE})") double lr;
    @Option(names = "--min-snr", defaultValue = "0", description = "min-SNR-γ weighting, 0 = off") double minSnr;
    @Option(names = "--checkpoint-every", defaultValue = "200",
            description = "steps between checkpoints (default ${DEFAULT-VALUE}; one is also written at the end and on Ctrl+C)")
    int checkpointEvery;
    @Option(names = "--seed", defaultValue = "42",
            description = "seeds the weights, data order, t, noise and label dropout (default ${DEFAULT-VALUE})") long seed;

    @Option(names = "--out", description = "run folder for checkpoints and loss.csv (with --resume: that folder)")
    Path out;

    @Option(names = "--resume", description = "run folder to continue (its newest checkpoint)")
    Path resume;

    @Option(names = "--no-progress", description = "print a line per checkpoint instead of a progress bar")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        if (out == null && resume == null) throw new IllegalArgumentException("--out DIR is required for a new run");
        if (out == null) out = resume;
        Trainer trainer = resume != null ? resumed(log) : TextTraining.isText(dataset) ? freshText()
                : PointTraining.isPoints(dataset) ? freshPoints() : fresh();
        RunFolder folder = trainer.folder();
        try (LossLog lossLog = new LossLog(folder.lossLog(), trainer.step());
             ProgressBar bar = noProgress ? null : progressBar(trainer)) {
            trainer.addListener(lossLog);
            trainer.addListener(new Reporter(log, bar, trainer.network().config() instanceof UNetConfig ? "img/s"
                : trainer.network().config() instanceof MlpConfig ? "pts/s" : "seq/s"));
            CompletableFuture<TrainOutcome> run = trainer.start();
            Thread hook = new Thread(() -> stopAndWait(trainer, run), "train-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            TrainOutcome outcome;
            try {
                outcome = run.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            } finally {
                removeHook(hook);
            }
            if (bar != null) bar.stepTo(outcome.step());
            log.println();
            log.println(outcome.message());
            if (outcome.checkpoint() != null) log.println("checkpoint " + outcome.checkpoint() + ", model " + folder.modelFile());
            return outcome.status() == TrainOutcome.Status.DIVERGED ? 1 : 0;
        }
    }

    private Trainer fresh() throws IOException {
        checkNewRun();
        if (given("--process")) throw new IllegalArgumentException(
                "--process applies to text (--dataset shakespeare); %s trains with Gaussian diffusion".formatted(dataset));
        boolean flow = objective.equalsIgnoreCase(PointTraining.FLOW);
        if (!flow && !objective.equalsIgnoreCase(PointTraining.DIFFUSION)) throw new IllegalArgumentException(
                "--objective for images must be diffusion or flow (reflow needs a 2-D dataset's exact flow), got " + objective);
        if (flow && given("--predict")) throw new IllegalArgumentException(
                "--predict applies to --objective diffusion; a flow model predicts the velocity u = ε − x0");
        UNetConfig preset = UNetConfig.preset(model);
        UNetConfig net = flow ? preset.asFlow() : preset.withParameterization(parameterization());
        TrainConfig train = new TrainConfig(steps, batch, lr, Math.min(200, steps / 10), 0.0, 0.999, minSnr, 0.1,
                checkpointEvery, 1.0, seed);
        return Trainer.fresh(net, GaussianDiffusion.of(net, images()), train, out);
    }

    private Trainer freshText() throws IOException {
        checkNewRun();
        for (String option : new String[] {"--predict", "--min-snr", "--objective"}) {
            if (given(option)) throw new IllegalArgumentException("%s applies to images, not to text".formatted(option));
        }
        TextCorpus corpus = TextTraining.corpus(data);
        TransformerConfig net = TextTraining.network(model, process, corpus);
        TrainConfig train = TextTraining.train(steps, batch, lr, checkpointEvery, seed);
        return Trainer.fresh(net, TextTraining.objective(net, corpus), train, out);
    }

    private Trainer freshPoints() throws IOException {
        checkNewRun();
        for (String option : new String[] {"--predict", "--min-snr", "--process", "--model", "--data"}) {
            if (given(option)) throw new IllegalArgumentException(
                    "%s does not apply to 2-D data (the MLP; --objective chooses what it learns)".formatted(option));
        }
        var net = PointTraining.network(objective);
        return Trainer.fresh(net, PointTraining.objective(net, objective, Arguments.dataset(dataset), seed),
                PointTraining.train(steps, batch, lr, checkpointEvery, seed), out);
    }

    private void checkNewRun() throws IOException {
        Arguments.inRange("--steps", steps, 1, 10_000_000);
        Arguments.inRange("--batch", batch, 1, 4096);
        Arguments.inRange("--checkpoint-every", checkpointEvery, 1, 10_000_000);
        Arguments.inRange("--lr", lr, 1e-7, 0.1);
        if (Files.isDirectory(out) && !new RunFolder(out).checkpoints().isEmpty()) throw new IllegalArgumentException(
                "%s already holds checkpoints: pass --resume %s to continue it, or choose another --out".formatted(out, out));
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private Trainer resumed(PrintWriter log) throws IOException {
        Checkpoint c;
        try {
            c = new RunFolder(resume).latest();
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int total = given("--steps") ? steps : c.train().steps();
        log.printf(Locale.ROOT, "resuming %s at step %d of %d (loss %.4f)%n", resume, c.step(), total, c.loss());
        Objective resumedObjective;
        if (c.model() instanceof TransformerConfig) {
            resumedObjective = TextTraining.objective(c.model(), TextTraining.corpus(data));
        } else if (c.model() instanceof MlpConfig mlp) {
            if (!given("--dataset") || !PointTraining.isPoints(dataset)) throw new IllegalArgumentException(
                    "%s holds a 2-D model: pass --dataset (ring8, gaussian, moons, spiral or checkerboard) as in the first run"
                            .formatted(resume));
            String o = given("--objective") ? objective : mlp.parameterization() == Parameterization.U ? PointTraining.FLOW
                    : PointTraining.DIFFUSION;
            resumedObjective = PointTraining.objective(mlp, o, Arguments.dataset(dataset), c.train().seed());
        } else {
            resumedObjective = GaussianDiffusion.of(c.model(), images());
        }
        return Trainer.resume(c, resumedObjective, out, total);
    }

    private Parameterization parameterization() {
        return switch (predict.toLowerCase(Locale.ROOT)) {
            case "eps" -> Parameterization.EPS;
            case "v" -> Parameterization.V;
            default -> throw new IllegalArgumentException("--predict must be eps or v, got " + predict);
        };
    }

    private TrainingSet images() throws IOException {
        switch (dataset.toLowerCase(Locale.ROOT)) {
            case "mnist" -> {
                return TrainingSet.images(data == null ? MnistDataset.bundled() : MnistDataset.toTrainOn(data));
            }
            case "fashion-mnist" -> {
                if (data == null) throw new IllegalArgumentException(
                        "--dataset fashion-mnist needs --data DIR (a folder of Fashion-MNIST IDX files)");
                return TrainingSet.images(MnistDataset.toTrainOn(data));
            }
            default -> throw new IllegalArgumentException("--dataset must be mnist, fashion-mnist or shakespeare, got " + dataset);
        }
    }

    private static ProgressBar progressBar(Trainer trainer) {
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(trainer.config().steps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed()
                .startsFrom(trainer.step(), Duration.ZERO).build();
    }

    private static void stopAndWait(Trainer trainer, CompletableFuture<TrainOutcome> run) {
        trainer.stop();
        try {
            run.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
            // the JVM is exiting; the last atomic checkpoint stands
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    /** Progress bar (or a plain line per checkpoint) fed from the training thread. */
    private static final class Reporter implements TrainListener {

        private final PrintWriter log;
        private final ProgressBar bar;
        private final String unit;
        private TrainStep last;

        Reporter(PrintWriter log, ProgressBar bar, String unit) {
            this.log = log;
            this.bar = bar;
            this.unit = unit;
        }

        @Override
        public void onStep(TrainStep s) {
            last = s;
            if (bar == null) return;
            bar.stepTo(s.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f  %.1f %s", s.loss(), s.imagesPerSec(), unit));
        }

        @Override
        public void onCheckpoint(int step, Path file) {
            if (bar != null || last == null) return;
            log.printf(Locale.ROOT, "%tT step %d/%d loss %.4f %.1f %s eta %s  %s%n", System.currentTimeMillis(),
                    step, last.totalSteps(), last.loss(), last.imagesPerSec(), unit, last.eta().withNanos(0), file.getFileName());
            log.flush();
        }
    }
}
