package org.diffusionplayground.app.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.PlaygroundApp;
import org.diffusionplayground.app.TaskJobs;
import org.diffusionplayground.app.imagemodel.Recording;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Exports from the real window: a page PNG, the reverse run as GIF + strip, and a cancelled export that leaves nothing. */
@ExtendWith(ApplicationExtension.class)
class ExportUiTest {

    @TempDir
    Path dir;

    private AppModel model;
    private ExecutorService exports;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Start
    void start(Stage stage) {
        model = org.diffusionplayground.app.scenario.ScenarioFilesTestAccess.app(new TaskJobs(Runnable::run));
        stage.setScene(PlaygroundApp.scene(model, 1280, 800));
        stage.show();
        model.start();
    }

    @AfterEach
    void stop() {
        if (exports != null) exports.shutdownNow();
    }

    @Test
    void thePageAsPngIsTheSnapshotOfWhatIsShown(FxRobot robot) throws Exception {
        Path file = dir.resolve("forward.png");
        Node page = robot.lookup("#image-grid").query().getParent();
        double[] size = new double[2];
        robot.interact(() -> {
            var snapshot = page.snapshot(null, null);
            size[0] = snapshot.getWidth();
            size[1] = snapshot.getHeight();
            model.exporter().png(SwingFXUtils.fromFXImage(snapshot, null), file);
        });
        WaitForAsyncUtils.waitForFxEvents();
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals((int) size[0], png.getWidth());
        assertEquals((int) size[1], png.getHeight());
        assertEquals("Wrote " + file, robot.lookup("#export-status").queryAs(Label.class).getText());
        assertEquals(List.of(file), files());
    }

    @Test
    void theReverseRunBecomesAGifOfEveryFrameAndAStrip(FxRobot robot) throws Exception {
        robot.clickOn("#nav-reverse");
        WaitForAsyncUtils.waitForFxEvents();
        Recording run = model.reverse().recording();
        assertTrue(run.complete(), "the fake model's run finished");
        int columns = model.reverse().gridProperty().get();
        Path gif = dir.resolve("run.gif");
        robot.interact(() -> model.exporter().animation(gif, run.frames(), Animations.reverse(run, columns),
                () -> Animations.reverseStrip(run, columns), 25));
        WaitForAsyncUtils.waitForFxEvents();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(run.frames(), reader.getNumImages(true), "one GIF frame per recorded step");
            int grid = columns * (28 * Animations.SCALE + Frames.GAP) - Frames.GAP;
            assertEquals(2 * grid + 3 * Frames.MARGIN, reader.getWidth(0), "x_t and x̂0 side by side");
            BufferedImage last = reader.read(run.frames() - 1);
            BufferedImage first = reader.read(0);
            assertFalse(java.util.Arrays.equals(first.getRGB(0, 0, 60, 60, null, 0, 60), last.getRGB(0, 0, 60, 60, null, 0, 60)),
                    "x_T and the end differ");
        }
        BufferedImage strip = ImageIO.read(Exporter.stripOf(gif).toFile());
        int small = columns * (28 + Frames.GAP) - Frames.GAP;
        assertEquals(Exporter.STRIP_FRAMES * (small + Frames.MARGIN) + Frames.MARGIN, strip.getWidth());
        assertEquals(2 * (small + 2 * Frames.MARGIN), strip.getHeight(), "x_t above x̂0");
        assertEquals(List.of(Exporter.stripOf(gif), gif), files());
    }

    @Test
    void aCancelledExportLeavesNoFileAndSaysSo(FxRobot robot) throws Exception {
        exports = TaskJobs.singleThread();
        Exporter exporter = new Exporter(new TaskJobs(exports), (what, e) -> { throw new AssertionError(what, e); });
        CountDownLatch halfway = new CountDownLatch(1), cancelled = new CountDownLatch(1);
        Path gif = dir.resolve("slow.gif");
        robot.interact(() -> exporter.animation(gif, 10, k -> {
            if (k == 5) {
                halfway.countDown();
                try {
                    cancelled.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        }, () -> new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), 10));
        assertTrue(halfway.await(10, TimeUnit.SECONDS));
        // progress reaches the UI thread coalesced, after the job has moved on: wait for it (the job waits at frame 5)
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> exporter.progressProperty().get() > 0.3);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("progress reported: " + exporter.progressProperty().get(), e);
        }
        assertEquals("Writing slow.gif", exporter.runningProperty().get());
        assertFalse(files().isEmpty(), "a temporary file is being written");
        robot.interact(exporter::cancel);
        cancelled.countDown();
        exports.shutdown();
        assertTrue(exports.awaitTermination(10, TimeUnit.SECONDS));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), files(), "neither the GIF, its strip nor a temporary file");
        assertEquals("", exporter.runningProperty().get());
        assertEquals("Writing slow.gif: cancelled, nothing written", exporter.doneProperty().get());
    }

    private List<Path> files() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
