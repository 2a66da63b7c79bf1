package org.diffusionplayground.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.stage.Stage;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Page;
import org.diffusionplayground.app.PlaygroundApp;
import org.diffusionplayground.app.TaskJobs;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Scenario files and lessons in the real window (headless Monocle, jobs run at once on the FX thread). */
@ExtendWith(ApplicationExtension.class)
class ScenarioUiTest {

    @TempDir
    Path dir;

    private AppModel model;
    private Stage stage;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = ScenarioFilesTest.app(new TaskJobs(Runnable::run));
        stage.setScene(PlaygroundApp.scene(model, 1280, 800));
        stage.show();
        model.start();
    }

    @Test
    void saveThenReopenShowsTheSameStateInTheControls(FxRobot robot) throws Exception {
        robot.clickOn("#nav-reverse");
        robot.clickOn("#nav-lab");
        Path file = dir.resolve("class.json");
        Scenario[] saved = new Scenario[1];
        robot.interact(() -> {
            ScenarioFilesTest.changeEverything(model, null);
            Scenarios.save(model, file);
            saved[0] = Scenarios.capture(model);
        });
        robot.interact(() -> { // the teacher moves on
            model.reverse().stepsProperty().set(40);
            model.lab().samplerProperty(0).set(null);
            model.forward().stepProperty().set(0);
            model.pageProperty().set(Page.FORWARD);
        });
        robot.interact(() -> Scenarios.open(model, file));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("", model.errorProperty().get());
        assertEquals(saved[0], Scenarios.capture(model));
        assertEquals(2, saved[0].lab().frame());
        assertEquals(Page.LAB, model.pageProperty().get());
        assertEquals(org.diffusionplayground.model.sampling.solvers.SamplerKind.EULER,
                robot.lookup("#lab-sampler-0").queryAs(ComboBox.class).getValue(), "the lane's control shows the restored sampler");
        robot.clickOn("#nav-reverse");
        assertEquals(7, robot.lookup("#reverse-steps").queryAs(Spinner.class).getValue());
        assertEquals(3, model.reverse().frameProperty().get());
    }

    @Test
    void aMalformedScenarioShowsWhatIsWrongAndChangesNothing(FxRobot robot) throws Exception {
        robot.interact(() -> model.forward().stepProperty().set(250));
        Path bad = Files.writeString(dir.resolve("broken.json"), "{ \"format\": \"diffusion-playground-scenario\", \"version\": 1,"
                + " \"forward\": { \"t\": 900, \"grid\": 12 } }");
        robot.interact(() -> Scenarios.open(model, bad));
        Label message = robot.lookup("#error-message").queryAs(Label.class);
        assertTrue(robot.lookup("#error-banner").query().isVisible());
        assertEquals("Opening the scenario broken.json failed: forward.grid: 12 is outside 1–8", message.getText());
        assertEquals(250, model.forward().stepProperty().get(), "t stays where it was");
    }

    @Test
    void theLessonsMenuOpensALessonWithItsNoteBesideThePage(FxRobot robot) {
        // the menu's own item, fired (Monocle's menus close under a moving mouse)
        var menu = robot.lookup("#scenario-menu").queryAs(javafx.scene.control.MenuButton.class);
        var lessons = (javafx.scene.control.Menu) menu.getItems().stream().filter(i -> "lessons-menu".equals(i.getId())).findFirst().orElseThrow();
        assertEquals(5, lessons.getItems().size());
        robot.interact(() -> lessons.getItems().stream().filter(i -> i.getText().equals("Where the schedule spends its steps"))
                .findFirst().orElseThrow().fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Page.SCHEDULES, model.pageProperty().get());
        Node card = robot.lookup("#lesson-card").query();
        assertTrue(card.isVisible());
        assertEquals("Where the schedule spends its steps", robot.lookup("#lesson-title").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#lesson-note").queryAs(Label.class).getText().startsWith("Ten sampling steps"));
        assertEquals(10, model.schedules().stepCountProperty().get());
        robot.interact(() -> Lessons.open(model, Lessons.shipped().get(3))); // the lab: the tallest page, the longest note
        for (int[] size : new int[][] {{1024, 768, 0}, {1280, 720, 1}}) { // an old laptop; a projector in presentation mode
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
                model.presentationProperty().set(size[2] == 1);
            });
            WaitForAsyncUtils.waitForFxEvents();
            Node status = robot.lookup(".status-bar").query();
            Node pageView = robot.lookup(".lab-page").query();
            double pageEnd = pageView.localToScene(pageView.getLayoutBounds()).getMaxY();
            double statusTop = status.localToScene(status.getLayoutBounds()).getMinY();
            assertTrue(pageEnd <= statusTop + 1 && statusTop < size[1], "%d×%d: the page ends at %.0f, the status bar starts at %.0f"
                    .formatted(size[0], size[1], pageEnd, statusTop));
            // whole lines only: the scroll bar's own minimum height once showed a sliver of a third line
            var scroll = robot.lookup("#lesson-note-scroll").queryAs(javafx.scene.control.ScrollPane.class);
            assertTrue(scroll.getViewportBounds().getHeight() <= scroll.getMaxHeight() + 0.5, "%d×%d: the note shows %.1f px, its whole lines %.1f"
                    .formatted(size[0], size[1], scroll.getViewportBounds().getHeight(), scroll.getMaxHeight()));
        }
        assertTrue(card.getBoundsInLocal().getHeight() <= card.getScene().getHeight() / 4, "the note takes at most a quarter of the height");
        assertEquals("The sampler's error, not the network's (2-D oracle)", robot.lookup("#lesson-title").queryAs(Label.class).getText());
        robot.interact(() -> model.presentationProperty().set(false));
        robot.interact(() -> robot.lookup("#lesson-close").queryButton().fire()); // (a click lands short of it after the resizes)
        assertFalse(card.isVisible());
    }

}
