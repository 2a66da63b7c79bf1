package org.diffusionplayground.app.text;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.label;
import static org.diffusionplayground.app.shell.Cards.readout;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.shell.TimelineBar;
import org.diffusionplayground.viz.CharacterGridView;
import org.diffusionplayground.viz.CharacterGridView.State;
import org.diffusionplayground.viz.CurveChart;

/** The text page's forward half: the passage at t, the schedule with a cursor, read-outs and a t timeline. */
final class TextForwardPane extends BorderPane {

    TextForwardPane(TextForwardModel model) {
        getStyleClass().add("text-forward");
        setTop(toolbar(model));
        setCenter(content(model));
        setBottom(new TimelineBar(model, model.stepProperty(), new javafx.beans.property.SimpleIntegerProperty(TextCorruption.FRAMES),
                Bindings.concat("t = ", model.timeTextProperty()), "text-forward-slider"));
        TimelineBar.animate(model);
    }

    private static FlowPane toolbar(TextForwardModel model) {
        Button passage = new Button("New passage");
        passage.setId("text-new-passage");
        passage.setTooltip(new Tooltip("Another 256 characters from the validation text (the last 10 %, never trained on)"));
        passage.setOnAction(e -> model.newPassage());
        Button draws = new Button("New draws");
        draws.setId("text-new-draws");
        draws.setTooltip(new Tooltip("Other random draws: other characters are corrupted first"));
        draws.setOnAction(e -> model.newDraws());
        TextField typed = new TextField();
        typed.setId("text-passage-field");
        typed.setPromptText("or type a passage and press Enter");
        typed.setPrefColumnCount(28);
        typed.setOnAction(e -> {
            if (!typed.getText().isEmpty()) model.passageProperty().set(typed.getText());
        });
        FlowPane bar = new FlowPane(12, 8, group(passage, draws), group(label("Text", "field-label"), typed));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    private static VBox content(TextForwardModel model) {
        CharacterGridView grid = new CharacterGridView();
        grid.setId("text-forward-grid");
        grid.cellsProperty().bind(model.cellsProperty());
        Label message = label("", "chart-placeholder");
        message.textProperty().bind(model.messageProperty());
        message.visibleProperty().bind(model.messageProperty().isNotEmpty());
        StackPane holder = new StackPane(grid, message);
        VBox.setVgrow(holder, Priority.ALWAYS);
        VBox gridCard = card("The passage at time t", new VBox(8, holder, TextLegend.states(State.CLEAN, "clean",
                State.MASKED, "masked [M]", State.CHANGED, "resampled (uniform)")));
        VBox.setVgrow(gridCard, Priority.ALWAYS);

        CurveChart chart = new CurveChart();
        chart.setId("text-forward-chart");
        chart.setXLabel("t");
        chart.curvesProperty().bind(model.curvesProperty());
        chart.markerProperty().bind(Bindings.createDoubleBinding(model::time, model.stepProperty()));
        chart.setPrefHeight(150);
        chart.setMinHeight(90);
        GridPane readouts = new GridPane();
        readouts.getStyleClass().add("readouts");
        readout(readouts, 0, "t", "text-forward-t", model.timeTextProperty());
        readout(readouts, 1, "schedule", "text-forward-schedule", model.scheduleTextProperty());
        readout(readouts, 2, "expected corrupted", "text-forward-expected", model.expectedTextProperty());
        readout(readouts, 3, "actually corrupted", "text-forward-actual", model.actualTextProperty());
        VBox chartCard = card("", chart);
        Label title = (Label) ((javafx.scene.layout.HBox) chartCard.getChildren().get(0)).getChildren().get(0);
        title.textProperty().bind(Bindings.createStringBinding(() -> model.processProperty().get().absorbing()
                ? "α_t: kept (blue) · 1 − α_t: expected masked (orange)"
                : "σ̄(t) ÷ 20 (blue) · expected resampled (orange)", model.processProperty()));
        HBox.setHgrow(chartCard, Priority.ALWAYS);
        VBox readoutCard = card("At this t", readouts);
        readoutCard.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox below = new HBox(12, chartCard, readoutCard);
        VBox content = new VBox(12, gridCard, below);
        content.getStyleClass().add("page-content");
        return content;
    }
}
