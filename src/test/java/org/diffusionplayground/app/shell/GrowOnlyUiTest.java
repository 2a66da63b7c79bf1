package org.diffusionplayground.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** {@link Cards#growOnly}: a label keeps the width of its widest text, shows every text whole, and measures again at a new font. */
@ExtendWith(ApplicationExtension.class)
class GrowOnlyUiTest {

    private Label status;

    @Start
    void start(Stage stage) {
        org.diffusionplayground.app.GlyphLayoutRace.hold(); // as the app's scene does
        status = new Label("done: 20 steps, NFE 20, 0.55 s");
        Cards.growOnly(status);
        stage.setScene(new Scene(new HBox(status, new Label("neighbour")), 800, 100));
        stage.show();
    }

    @Test
    void keepsItsWidestWidthAndShowsEveryTextWhole(FxRobot robot) {
        double done = status.getWidth();
        assertTrue(done >= textWidth(status.getText(), status.getFont()), "the first text is shown whole");
        robot.interact(() -> status.setText("sampling step 7 / 20…"));
        assertEquals(done, status.getWidth(), 0.0, "a shorter text keeps the width");
        String longer = "done: 1000 steps, NFE 1999, 12.34 s · frames every 5 steps (memory)";
        robot.interact(() -> status.setText(longer));
        assertTrue(status.getWidth() > done && status.getWidth() >= textWidth(longer, status.getFont()), "a longer text grows it, whole");
        assertEquals(longer, rendered(status), "not cut with an ellipsis");
        double wide = status.getWidth();
        robot.interact(() -> status.setFont(Font.font(status.getFont().getFamily(), status.getFont().getSize() / 2)));
        assertTrue(status.getWidth() < 0.6 * wide && status.getWidth() >= textWidth(longer, status.getFont()),
                "half the font size measures again: " + wide + " → " + status.getWidth());
    }

    private static double textWidth(String s, Font f) {
        Text t = new Text(s);
        t.setFont(f);
        return t.getLayoutBounds().getWidth();
    }

    /** The text the label's skin actually draws (an ellipsis where it is cut). */
    private static String rendered(Label l) {
        return ((Text) l.lookup(".text")).getText();
    }
}
