package org.diffusionplayground.app.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Page;
import org.diffusionplayground.app.PlaygroundApp;
import org.diffusionplayground.app.TaskJobs;
import org.diffusionplayground.app.imagemodel.Networks;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.viz.CharacterGridView;
import org.diffusionplayground.viz.CharacterGridView.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the Text page in the real window (headless Monocle) with {@link FakeTextModel}s, the
 * app's jobs on their own thread as in the app: the forward scrub, a reverse run to the end and
 * back, a setting change restarting from the same seed, and a template.
 */
@ExtendWith(ApplicationExtension.class)
class TextPageUiTest {

    private AppModel app;
    private TextPageModel page;
    private FakeTextModel masked;
    private ExecutorService executor;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Start
    void start(Stage stage) throws Exception {
        TextCorpus corpus = TextCorpus.shakespeare();
        masked = new FakeTextModel(corpus, true);
        executor = TaskJobs.singleThread();
        app = new AppModel(new TaskJobs(executor), () -> "CPU · test", Networks.files(),
                FakeTextModel.networks(masked, new FakeTextModel(corpus, false), new FakeTextModel(corpus,
                        org.diffusionplayground.model.sampling.tokens.TokenFamily.AUTOREGRESSIVE)));
        page = app.text();
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setScene(PlaygroundApp.scene(app, Math.min(1400, screen.getWidth()), Math.min(880, screen.getHeight())));
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private void open(FxRobot robot) throws Exception {
        robot.clickOn(".page-title");
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT7).release(KeyCode.CONTROL);
        assertEquals(Page.TEXT, app.pageProperty().get());
        awaitRun();
    }

    private void awaitRun() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            TextRecording r = page.reverse().recording();
            return r != null && r.complete() && !page.reverse().samplingProperty().get();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(CharacterGridView grid) {
        return new String(grid.cellsProperty().get().characters());
    }

    private static long count(CharacterGridView grid, State s) {
        return Arrays.stream(grid.cellsProperty().get().states()).filter(x -> x == s).count();
    }

    @Test
    void theForwardScrubTurnsThePassageIntoMasks(FxRobot robot) throws Exception {
        open(robot);
        robot.clickOn("#text-mode-forward");
        CharacterGridView grid = robot.lookup("#text-forward-grid").queryAs(CharacterGridView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> grid.cellsProperty().get() != null);
        robot.clickOn(".page-title");
        robot.type(KeyCode.HOME);
        assertEquals(0, count(grid, State.MASKED), "t = 0: clean");
        robot.type(KeyCode.END);
        assertEquals(TextForwardModel.PASSAGE, count(grid, State.MASKED), "t = 1: all masked");
        robot.drag("#text-forward-slider .thumb").moveBy(-250, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        long some = count(grid, State.MASKED);
        assertTrue(some > 0 && some < TextForwardModel.PASSAGE, some + " masked after dragging back");
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * some / TextForwardModel.PASSAGE),
                robot.lookup("#text-forward-actual").queryAs(Label.class).getText());
    }

    @Test
    void aReverseRunGoesToTheEndOffTheUiThreadAndScrubsBack(FxRobot robot) throws Exception {
        open(robot);
        CharacterGridView grid = robot.lookup("#text-grid-masked").queryAs(CharacterGridView.class);
        assertEquals(0, count(grid, State.MASKED), "the finished run has no masks");
        assertEquals(FakeTextModel.CONTEXT, grid.cellsProperty().get().size());
        assertFalse(masked.threads.isEmpty());
        assertFalse(masked.threads.contains("JavaFX Application Thread"), "sampled on " + masked.threads);
        assertTrue(robot.lookup("#text-status-masked").queryAs(Label.class).getText().startsWith("done · NFE "));
        robot.clickOn(".page-title");
        robot.type(KeyCode.HOME);
        assertEquals(FakeTextModel.CONTEXT, count(grid, State.MASKED), "step 0: all masked");
        robot.type(KeyCode.RIGHT, 8);
        long masks = count(grid, State.MASKED);
        assertTrue(masks > 0 && masks < FakeTextModel.CONTEXT, masks + " masks at step 8");
        robot.moveTo(grid); // its centre: a cell of the one row of 64
        WaitForAsyncUtils.waitForFxEvents();
        String candidates = robot.lookup("#text-candidates").queryAs(Label.class).getText();
        assertTrue(candidates.startsWith("Position ") && candidates.contains("%"), candidates);
    }

    @Test
    void changingASettingRestartsFromTheSameSeed(FxRobot robot) throws Exception {
        open(robot);
        CharacterGridView grid = robot.lookup("#text-grid-masked").queryAs(CharacterGridView.class);
        String first = text(grid);
        robot.interact(() -> page.reverse().stepsProperty().set(8));
        awaitRun();
        assertEquals(8, page.reverse().lastFrameProperty().get());
        robot.interact(() -> page.reverse().stepsProperty().set(64));
        awaitRun();
        assertEquals(first, text(grid), "64 steps again from the same seed: the same text");
        robot.clickOn("#text-new-seed");
        awaitRun();
        assertNotEquals(first, text(grid));
    }

    @Test
    void maskedUniformAndLeftToRightWriteSideBySideAndFitAProjectorAndAnOldLaptop(FxRobot robot) throws Exception {
        open(robot);
        CharacterGridView m = robot.lookup("#text-grid-masked").queryAs(CharacterGridView.class);
        CharacterGridView u = robot.lookup("#text-grid-uniform").queryAs(CharacterGridView.class);
        CharacterGridView a = robot.lookup("#text-grid-autoregressive").queryAs(CharacterGridView.class);
        assertTrue(u.isVisible() && m.isVisible() && a.isVisible());
        assertFalse(robot.lookup("#text-lane-note").query().isVisible(), "all three models loaded: no note");
        assertTrue(robot.lookup("#text-status-uniform").queryAs(Label.class).getText().startsWith("done · NFE "));
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS,
                () -> robot.lookup("#text-status-autoregressive").queryAs(Label.class).getText().startsWith("done · NFE "));
        assertEquals(0, count(a, State.MASKED), "the left-to-right lane wrote every character");
        assertEquals(0, count(u, State.MASKED), "the uniform lane has no masks");
        robot.clickOn("#text-lane-uniform");
        assertEquals(TextProcess.UNIFORM, page.processProperty().get(), "a click focuses the lane");
        assertEquals(org.diffusionplayground.model.sampling.tokens.TokenRun.Kind.TWEEDIE, page.reverse().samplerProperty().get());
        robot.moveTo(u);
        WaitForAsyncUtils.waitForFxEvents();
        String candidates = robot.lookup("#text-candidates").queryAs(Label.class).getText();
        assertTrue(candidates.startsWith("Position ") && candidates.endsWith("(uniform lane)"), candidates);

        javafx.stage.Stage stage = (javafx.stage.Stage) m.getScene().getWindow();
        for (double[] size : new double[][] {{1280, 720}, {1024, 768}}) {
            for (boolean presenting : new boolean[] {false, true}) {
                robot.interact(() -> {
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                    app.presentationProperty().set(presenting);
                });
                WaitForAsyncUtils.waitForFxEvents();
                robot.interact(() -> stage.getScene().getRoot().layout());
                double w = stage.getScene().getWidth(), h = stage.getScene().getHeight();
                javafx.geometry.Bounds bm = m.localToScene(m.getLayoutBounds()), bu = u.localToScene(u.getLayoutBounds()),
                        ba = a.localToScene(a.getLayoutBounds());
                String where = "%s at %.0f×%.0f: masked %s, uniform %s, left to right %s".formatted(presenting ? "presentation" : "normal",
                        w, h, bm, bu, ba);
                assertTrue(bu.getMinX() > bm.getMaxX() && ba.getMinX() > bu.getMaxX(), "side by side, " + where);
                for (javafx.geometry.Bounds b : new javafx.geometry.Bounds[] {bm, bu, ba}) {
                    assertTrue(b.getWidth() >= 200 && b.getHeight() >= 100 && b.getMaxX() <= w + 1 && b.getMaxY() <= h + 1, where);
                }
                javafx.scene.Node slider = robot.lookup("#text-frame-slider").query();
                assertTrue(slider.localToScene(slider.getLayoutBounds()).getMaxY() <= h + 1, "the timeline stays on screen, " + where);
            }
        }
    }

    @Test
    void aTemplateTypedInTheBoxKeepsItsCharacters(FxRobot robot) throws Exception {
        open(robot);
        robot.interact(() -> page.reverse().givenProperty().set(TextRun.Given.TEMPLATE));
        String template = "KING:\\nWhat ___ is this ____?";
        robot.clickOn("#text-template").write(template).type(KeyCode.ENTER);
        awaitRun();
        String expected = template.replace("\\n", "\n");
        CharacterGridView grid = robot.lookup("#text-grid-masked").queryAs(CharacterGridView.class);
        String out = text(grid);
        assertEquals(expected.length(), out.length());
        for (int i = 0; i < out.length(); i++) {
            if (expected.charAt(i) != '_') assertEquals(expected.charAt(i), out.charAt(i), "typed character " + i + " in " + out);
        }
        assertEquals(expected.chars().filter(c -> c != '_').count(), count(grid, State.GIVEN));
        assertEquals(0, count(grid, State.MASKED), "every blank filled");
        // a text set elsewhere (a scenario) shows in the field, its line break written as \n
        robot.interact(() -> page.reverse().textProperty().set("LEAR:\n___"));
        assertEquals("LEAR:\\n___", robot.lookup("#text-template").queryAs(javafx.scene.control.TextField.class).getText());
    }
}
