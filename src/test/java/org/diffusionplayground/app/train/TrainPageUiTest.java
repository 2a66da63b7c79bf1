package org.diffusionplayground.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Page;
import org.diffusionplayground.app.PlaygroundApp;
import org.diffusionplayground.app.TaskJobs;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.viz.Curve;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.ImageGridView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the Train page in the real window (headless Monocle) with a tiny U-Net (4/8/8 channels,
 * as in TrainerTest) on 64 digits at batch 8: the Trainer runs on its own thread as in the app;
 * the app's jobs (preparing, previews, loading a model) run at once on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class TrainPageUiTest {

    static final UNetConfig TINY = new UNetConfig(4, 8, 8, 2, false, 10, Parameterization.EPS, "linear");

    private AppModel app;
    private TrainModel model;
    @TempDir Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Start
    void start(Stage stage) {
        app = new AppModel(new TaskJobs(Runnable::run), () -> "CPU · test · 2 cores");
        model = app.train();
        model.overrideNetwork(TINY);
        model.limitImages(64);
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setScene(PlaygroundApp.scene(app, Math.min(1400, screen.getWidth()), Math.min(880, screen.getHeight())));
        stage.show();
    }

    private void settings(FxRobot robot, Path out, int steps, int every) {
        robot.interact(() -> {
            model.outDirProperty().set(out.toString());
            model.stepsProperty().set(steps);
            model.batchProperty().set(8);
            model.learningRateProperty().set("3e-3");
            model.checkpointEveryProperty().set(every);
        });
    }

    private void awaitIdle() throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.stateProperty().get() == TrainModel.State.IDLE);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aTinyRunReachesItsLastStepWithTheWholeCurveAPreviewAndAModelTheOtherPagesCanUse(FxRobot robot) throws Exception {
        robot.clickOn(".page-title");
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT6).release(KeyCode.CONTROL);
        assertEquals(Page.TRAIN, app.pageProperty().get());
        Path out = dir.resolve("run");
        settings(robot, out, 30, 10);
        assertTrue(button(robot, "#train-use-model").isDisabled(), "no model before the first checkpoint");
        robot.clickOn("#train-start");
        awaitIdle();

        assertEquals("30 / 30", text(robot, "#train-step"));
        assertEquals("completed 30 steps", text(robot, "#train-status"));
        assertEquals("ckpt-0000030.dpck · step 30", text(robot, "#train-checkpoint"));
        List<Curve> curves = robot.lookup("#train-loss-chart").queryAs(CurveChart.class).curvesProperty().get();
        assertEquals(List.of("smoothed", "loss"), curves.stream().map(Curve::name).toList());
        Curve loss = curves.get(1);
        assertEquals(30, loss.x().length, "one point per step");
        assertEquals(1, loss.x()[0]);
        assertEquals(30, loss.x()[29]);
        List<String> csv = Files.readAllLines(out.resolve("loss.csv"));
        assertEquals(31, csv.size(), "header and 30 steps");
        assertEquals(Double.parseDouble(csv.get(30).split(",")[1]), loss.y()[29], 1e-6, "the chart shows the logged loss");
        for (String f : List.of("ckpt-0000010.dpck", "ckpt-0000020.dpck", "ckpt-0000030.dpck", "model.dpck", "dataset.properties")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }

        ImageGridView preview = robot.lookup("#train-preview").queryAs(ImageGridView.class);
        assertNotNull(preview.imagesProperty().get());
        assertEquals(10 * 784, preview.imagesProperty().get().length, "one sample per class");
        assertTrue(text(robot, "#train-preview-text").startsWith("step 30 · EMA weights · DPM-Solver++ 10 steps"),
                text(robot, "#train-preview-text"));
        assertArrayEquals(PreviewSampler.sample(ModelLoader.load(out.resolve("model.dpck")).denoiser()),
                preview.imagesProperty().get(), 1e-5f, "the preview samples the run's model file");

        assertNull(app.images().networkProperty().get(), "Reverse and Compare have loaded nothing yet");
        robot.clickOn("#train-use-model");
        Network used = app.images().networkProperty().get();
        assertNotNull(used);
        assertEquals("run", used.name());
        assertEquals(30, used.step());
        assertEquals(10, used.denoiser().numClasses());
        assertFalse(robot.lookup("#error-banner").query().isVisible(), text(robot, "#error-message"));
    }

    @Test
    void pauseHoldsTheStepStopWritesACheckpointAndContinueExtendsTheSameCurve(FxRobot robot) throws Exception {
        robot.clickOn("#nav-train");
        Path out = dir.resolve("long");
        settings(robot, out, 1_000_000, 1_000_000);
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.progress().stepProperty().get() >= 3);
        robot.clickOn("#train-pause");
        assertEquals(TrainModel.State.PAUSED, model.stateProperty().get());
        assertTrue(button(robot, "#train-pause").isDisabled() && !button(robot, "#train-resume").isDisabled()
                && !button(robot, "#train-stop").isDisabled() && button(robot, "#train-start").isDisabled());
        Thread.sleep(300); // the step in flight finishes
        WaitForAsyncUtils.waitForFxEvents();
        int held = model.trainerStep();
        Thread.sleep(800);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(held, model.trainerStep(), "no steps while paused");
        assertEquals("%,d / 1,000,000".formatted(held), text(robot, "#train-step"));

        robot.clickOn("#train-resume");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trainerStep() > held + 2);
        robot.clickOn("#train-stop");
        awaitIdle();
        int stopped = model.progress().stepProperty().get();
        assertTrue(stopped > held + 2, "stopped at " + stopped);
        assertTrue(Files.isRegularFile(out.resolve("ckpt-%07d.dpck".formatted(stopped))), "checkpoint of the stop step");
        assertEquals(stopped, CheckpointFile.read(out.resolve("ckpt-%07d.dpck".formatted(stopped))).step());
        assertEquals("stopped at step %,d; Start continues it".formatted(stopped), text(robot, "#train-status"));
        assertNotNull(model.resumeFromProperty().get(), "the stopped run is ready to continue");
        assertEquals("Continue", button(robot, "#train-start").getText());

        robot.interact(() -> model.stepsProperty().set(stopped + 5));
        robot.clickOn("#train-start");
        awaitIdle();
        assertEquals("completed %,d steps".formatted(stopped + 5), text(robot, "#train-status"));
        Curve loss = robot.lookup("#train-loss-chart").queryAs(CurveChart.class).curvesProperty().get().get(1);
        assertEquals(stopped + 5, loss.x().length, "the resumed run continues the stopped run's curve");
        assertEquals(1, loss.x()[0]);
        assertEquals(stopped + 5, loss.x()[stopped + 4]);
        assertEquals(stopped + 6, Files.readAllLines(out.resolve("loss.csv")).size());

        // reopened to continue, then "New run": nothing of the old run stays to be mistaken for the new one
        robot.interact(() -> model.openRun(out));
        awaitIdle();
        assertEquals("Continue", button(robot, "#train-start").getText());
        robot.clickOn("#train-new-run");
        assertEquals("", text(robot, "#train-status"));
        assertTrue(robot.lookup("#train-loss-chart").queryAs(CurveChart.class).curvesProperty().get().stream()
                .allMatch(c -> c.x().length == 0), "no loss curve");
        assertEquals("—", text(robot, "#train-step"));
        assertEquals("", text(robot, "#train-run-folder"));
        assertEquals("Start", button(robot, "#train-start").getText());
        assertTrue(button(robot, "#train-use-model").isDisabled());
    }

    @Test
    void aTinyTextRunPausesStopsShowsItsValidationBitsPerCharAndASampleAndGoesToTheTextPage(FxRobot robot) throws Exception {
        robot.clickOn("#nav-train");
        robot.clickOn("#train-dataset").clickOn(DatasetChoice.SHAKESPEARE.label());
        assertTrue(robot.lookup("#train-process").query().isVisible() && !robot.lookup("#train-prediction").query().isVisible(),
                "text asks for the process, not the prediction");
        robot.clickOn("#train-preset").clickOn("tiny (context 16, 1 layer: a test)");
        assertEquals("tiny", model.presetProperty().get());
        Path out = dir.resolve("text");
        settings(robot, out, 1_000_000, 5);
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.progress().stepProperty().get() >= 7);
        robot.clickOn("#train-pause");
        assertEquals(TrainModel.State.PAUSED, model.stateProperty().get());
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        int held = model.trainerStep();
        assertTrue(text(robot, "#train-speed").endsWith(" seq/s"), "windows a second: " + text(robot, "#train-speed"));
        Thread.sleep(500);
        assertEquals(held, model.trainerStep(), "no steps while paused");
        robot.clickOn("#train-resume");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trainerStep() > held + 1);
        robot.clickOn("#train-stop");
        awaitIdle();

        int stopped = model.progress().stepProperty().get();
        assertEquals("stopped at step %,d; Start continues it".formatted(stopped), text(robot, "#train-status"));
        assertTrue(Files.isRegularFile(out.resolve("ckpt-%07d.dpck".formatted(stopped))));
        assertTrue(model.resumeFromProperty().get().describe().contains("tiny model, absorbing process, batch 8"),
                model.resumeFromProperty().get().describe());

        List<Curve> curves = robot.lookup("#train-loss-chart").queryAs(CurveChart.class).curvesProperty().get();
        assertEquals(List.of(TrainProgress.VALIDATION, "smoothed", "loss"), curves.stream().map(Curve::name).toList());
        Curve validation = curves.get(0);
        assertEquals(5, validation.x()[0], "the first checkpoint's bound");
        assertEquals(stopped, validation.x()[validation.x().length - 1], "the stop's checkpoint's bound");
        String bpc = text(robot, "#train-validation");
        assertTrue(bpc.matches("\\d+\\.\\d{3} bits/char at step %,d \\(64 windows\\)".formatted(stopped)), bpc);
        double bits = Double.parseDouble(bpc.substring(0, bpc.indexOf(' ')));
        assertEquals(bits * Math.log(2), validation.y()[validation.y().length - 1], 1e-3, "drawn (to the read-out's 3 decimals) in the loss's nats/char");
        assertTrue(bits > 1 && bits < 20, "an untrained model's bound: " + bits);
        String sample = text(robot, "#train-text-sample");
        assertEquals(16, sample.length(), "one context of the tiny preset: " + sample);
        assertTrue(text(robot, "#train-preview-text").startsWith("step %,d · EMA weights · 16 characters · ancestral, 64 steps"
                .formatted(stopped)), text(robot, "#train-preview-text"));

        robot.clickOn("#train-use-model");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> app.text().models().maskedProperty().get() != null);
        assertTrue(app.text().models().maskedProperty().get().name().startsWith("text (step %,d)".formatted(stopped)),
                app.text().models().maskedProperty().get().name());
        assertEquals(org.diffusionplayground.app.text.TextProcess.MASKED, app.text().processProperty().get());
        assertNull(app.images().networkProperty().get(), "the image pages keep their model");
        assertEquals("the Text page now writes with text", text(robot, "#train-status"));
        assertFalse(robot.lookup("#error-banner").query().isVisible(), text(robot, "#error-message"));
    }

    @Test
    void aWrongIdxFolderShowsAMessageNamingTheFolder(FxRobot robot) throws Exception {
        robot.clickOn("#nav-train");
        Path empty = Files.createDirectory(dir.resolve("not-mnist"));
        robot.interact(() -> {
            model.chooseDataFolder(empty);
            model.datasetProperty().set(DatasetChoice.FASHION_FOLDER);
        });
        assertTrue(robot.lookup("#error-banner").query().isVisible());
        String message = text(robot, "#error-message");
        assertTrue(message.startsWith("Checking the dataset folder failed: " + empty + ": no MNIST-style IDX files"), message);
        assertEquals(empty.toString(), text(robot, "#train-data-folder"));

        robot.clickOn("Dismiss");
        assertEquals("not usable: no MNIST-style IDX files (expected train-images-idx3-ubyte[.gz] and "
                + "train-labels-idx1-ubyte[.gz])", text(robot, "#train-data-note"), "the note says why once the banner is gone");
        settings(robot, dir.resolve("never"), 10, 5);
        robot.clickOn("#train-start");
        message = text(robot, "#error-message");
        assertTrue(message.startsWith("Starting the training run failed: " + empty + ": no MNIST-style IDX files"), message);
        assertEquals(TrainModel.State.IDLE, model.stateProperty().get());
        assertFalse(Files.exists(dir.resolve("never").resolve("ckpt-0000005.dpck")));
    }

    @Test
    void aCorruptCheckpointOnResumeSaysWhichFileAndWhy(FxRobot robot) throws Exception {
        robot.clickOn("#nav-train");
        Path run = Files.createDirectory(dir.resolve("broken"));
        Files.write(run.resolve("ckpt-0000200.dpck"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        robot.interact(() -> model.openRun(run));
        String message = text(robot, "#error-message");
        assertTrue(message.contains("ckpt-0000200.dpck is not a Diffusion Playground checkpoint (bad magic)"), message);
        assertNull(model.resumeFromProperty().get());
        assertEquals("Start", button(robot, "#train-start").getText());
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private static Button button(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Button.class);
    }
}
