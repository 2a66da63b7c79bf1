package org.diffusionplayground.app.text;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.shape.Rectangle;
import org.diffusionplayground.viz.CharacterGridView.State;
import org.diffusionplayground.viz.HeatStripView;

/** Legends for the character grid's states and the reveal-order strip. */
final class TextLegend {

    private TextLegend() {
    }

    /** One swatch per state with what it means, in the grid's own colours. */
    static FlowPane states(Object... stateAndText) {
        FlowPane row = new FlowPane(14, 4);
        row.getStyleClass().add("text-legend");
        for (int i = 0; i < stateAndText.length; i += 2) {
            State s = (State) stateAndText[i];
            Rectangle swatch = new Rectangle(14, 14, s.fill);
            swatch.setStroke(s.text);
            swatch.setStrokeWidth(s == State.MASKED ? 3 : 0.5);
            Label l = new Label((String) stateAndText[i + 1], swatch);
            l.getStyleClass().add("legend-row");
            row.getChildren().add(l);
        }
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** "first" to "last" along the strip's ramp. */
    static FlowPane ramp(String first, String last) {
        FlowPane row = new FlowPane(4, 4);
        row.getChildren().add(new Label(first));
        for (int k = 0; k <= 8; k++) row.getChildren().add(new Rectangle(12, 12, HeatStripView.colour(k / 8.0)));
        row.getChildren().add(new Label(last));
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("text-legend");
        return row;
    }
}
