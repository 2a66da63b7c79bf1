package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionplayground.app.compare.Comparison;
import org.diffusionplayground.app.imagemodel.ShippedModels;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.viz.ImageGridView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The flow model in the real window (headless Monocle), jobs run at once on the FX thread, on the
 * fakes of {@link FlowFakes}: picked in the Reverse page's model picker it is offered its own
 * samplers and its step in t; the Compare page sets it beside the diffusion model; and without
 * it the picker and the Compare page say where it comes from.
 */
@ExtendWith(ApplicationExtension.class)
class FlowPagesUiTest {

    private AppModel model;
    private boolean shipsFlow = true;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Start
    void start(Stage stage) {
        KnownX0Denoiser diffusion = ReverseModelTest.fakeDenoiser(), flow = ReverseModelTest.fakeDenoiser();
        model = new AppModel(new TaskJobs(Runnable::run), () -> "CPU · test",
                FlowFakes.networks(diffusion, FlowFakes.flow(flow), () -> shipsFlow));
        stage.setScene(PlaygroundApp.scene(model, 1280, 800));
        stage.show();
        model.start();
    }

    private static MenuItem flowItem(FxRobot robot) {
        MenuButton picker = robot.lookup("#model-picker").queryAs(MenuButton.class);
        return picker.getItems().stream().filter(i -> "model-shipped-flow".equals(i.getId())).findFirst().orElseThrow();
    }

    @Test
    void theShippedFlowModelPickedOnTheReversePageIsOfferedItsIntegratorsAndItsStepInT(FxRobot robot) {
        robot.clickOn("#nav-reverse");
        robot.clickOn("#model-picker");
        assertFalse(flowItem(robot).isDisable());
        robot.clickOn(flowItem(robot).getText());
        ComboBox<?> sampler = robot.lookup("#reverse-sampler").queryAs(ComboBox.class);
        assertEquals(SamplerKind.FLOW, List.copyOf(sampler.getItems()));
        assertEquals(SamplerKind.EULER, sampler.getValue());
        assertTrue(robot.lookup("#model-info").queryAs(Label.class).getText().endsWith("· flow matching"));
        assertTrue(model.reverse().recording().complete());
        assertNotNull(robot.lookup("#reverse-x0-grid").queryAs(ImageGridView.class).imagesProperty().get());
        String equation = robot.lookup("#reverse-equation").queryAs(Label.class).getText();
        assertTrue(equation.contains("xₛ = xₜ + (s − t)·û") && equation.contains("û = (1 − w)·û(xₜ)"), equation);
        String note = ((javafx.scene.text.Text) robot.lookup("#reverse-note").query()).getText();
        assertTrue(note.contains("velocity u = eps − x0"), note);
    }

    @Test
    void theComparePageSetsTheFlowModelBesideTheDiffusionModel(FxRobot robot) {
        robot.clickOn("#nav-compare");
        robot.interact(() -> robot.lookup("#compare-mode").queryAs(ComboBox.class).getSelectionModel()
                .select(Comparison.DIFFUSION_VS_FLOW));
        assertEquals(5, model.compare().lanesProperty().get().size());
        List<String> titles = robot.lookup(".compare-columns .card-title").queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertEquals(List.of("ddim", "dpm-solver++", "euler", "dpm-solver++", "rk4"), titles);
        List<String> families = robot.lookup(".compare-family").queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertEquals(List.of("diffusion model", "diffusion model", "flow model", "flow model", "flow model"), families);
        for (int i = 0; i < 5; i++) {
            assertNotNull(robot.lookup("#compare-images-" + i).queryAs(ImageGridView.class).imagesProperty().get(), "column " + i);
            assertEquals("NFE 20 · ", robot.lookup("#compare-summary-" + i).queryAs(Label.class).getText().substring(0, 9));
        }
        assertTrue(robot.lookup("#compare-models").queryAs(Label.class).getText()
                .startsWith("diffusion: fake (shipped), step 1,234 · flow: fake-flow (shipped flow model), step 321"));
        assertFalse(shown(robot.lookup("#compare-unavailable").query()), "no message while both models are there");
    }

    @Test
    void withoutTheFlowModelThePickerSaysItIsNotTrainedAndTheComparePageWhereItComesFrom(FxRobot robot) {
        shipsFlow = false;
        robot.clickOn("#nav-reverse");
        robot.clickOn("#model-picker");
        MenuItem flow = flowItem(robot);
        assertTrue(flow.isDisable() && flow.getText().contains("not trained yet"), flow.getText());
        robot.type(KeyCode.ESCAPE);
        robot.clickOn("#nav-compare");
        robot.interact(() -> model.compare().comparisonProperty().set(Comparison.DIFFUSION_VS_FLOW));
        Label why = robot.lookup("#compare-unavailable").queryAs(Label.class);
        assertTrue(shown(why), "the message is shown");
        assertTrue(why.getText().contains("mnist-flow.dpck is not here yet") && why.getText().contains("runs/mnist-flow/model.dpck"),
                why.getText());
        assertEquals(ShippedModels.FLOW_TRAIN_COMMAND, robot.lookup("#compare-flow-command").queryAs(TextField.class).getText());
        assertFalse(shown(robot.lookup("#compare-images-0").query()), "no columns to fail in");
        assertEquals("", model.errorProperty().get(), "no error banner");
    }

    private static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}
