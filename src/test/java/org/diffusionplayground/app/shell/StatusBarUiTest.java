package org.diffusionplayground.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.NeverJobs;
import org.diffusionplayground.app.Page;
import org.diffusionplayground.app.PlaygroundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The status bar's busy spinner appears while a job runs without moving anything: before, it was
 * taller than the bar's labels, so every job's start and end re-laid out the whole window and
 * shifted every page by two pixels (and the software renderer repainted all of it).
 */
@ExtendWith(ApplicationExtension.class)
class StatusBarUiTest {

    private AppModel model;

    @Start
    void start(Stage stage) {
        model = new AppModel(new NeverJobs(), () -> "CPU · test"); // a job that never ends: the bar stays busy
        stage.setScene(PlaygroundApp.scene(model, 1280, 720));
        stage.show();
    }

    @Test
    void aJobStartingMovesNeitherTheBarNorThePage(FxRobot robot) {
        check(robot, false);
    }

    @Test
    void norInPresentationMode(FxRobot robot) {
        check(robot, true);
    }

    private void check(FxRobot robot, boolean presentation) {
        robot.interact(() -> model.presentationProperty().set(presentation));
        Node bar = robot.lookup(".status-bar").query(), page = robot.lookup(".center").query();
        assertEquals("", model.busyProperty().get(), "no job yet");
        Bounds barIdle = bounds(bar), pageIdle = bounds(page);
        robot.interact(() -> model.pageProperty().set(Page.REVERSE)); // its first visit loads the model: a job
        assertFalse(model.busyProperty().get().isEmpty(), "a job is running");
        assertTrue(robot.lookup("#status-busy").query().isVisible());
        assertEquals(barIdle, bounds(bar), "the status bar moved or changed size");
        assertEquals(pageIdle, bounds(page), "the page's area moved or changed size");
    }

    private static Bounds bounds(Node n) {
        return n.localToScene(n.getLayoutBounds());
    }
}
