package org.diffusionplayground.app.text;

import static org.diffusionplayground.app.shell.Cards.label;

import javafx.beans.value.ObservableBooleanValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.diffusionplayground.viz.CharacterGridView;

/**
 * One lane of the reverse half: its title with the colour of its curve, its status (NFE, time) and
 * progress, and the character grid of its model. Shown while its model is loaded; the lane in
 * focus is outlined, and a click on another lane focuses it.
 */
final class TextLaneView extends VBox {

    private static final PseudoClass FOCUSED = PseudoClass.getPseudoClass("focused-lane");

    private final CharacterGridView grid = new CharacterGridView();

    /**
     * @param focused whether it is the lane in focus
     * @param focus   focuses it (the page's process)
     */
    TextLaneView(TextLane lane, TextReverseModel model, ObservableBooleanValue focused, Runnable focus) {
        super(6);
        getStyleClass().add("text-lane");
        setId("text-lane-" + lane.id());
        Region swatch = new Region();
        swatch.getStyleClass().addAll("swatch", "swatch-" + lane.colour());
        Label title = label(lane.title(), "text-lane-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        ProgressBar progress = new ProgressBar();
        progress.setId("text-progress-" + lane.id());
        progress.progressProperty().bind(lane.progressProperty());
        progress.setPrefWidth(70);
        progress.setMinWidth(40);
        Label status = label("", "lane-status");
        status.setId("text-status-" + lane.id());
        status.textProperty().bind(lane.statusProperty());
        status.setMinWidth(0);
        status.setTooltip(new Tooltip());
        status.getTooltip().textProperty().bind(lane.statusProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        // one line above the grid: the grid keeps the height (a lane's status that does not fit is in its tooltip;
        // a refused template is also said in full under the lanes)
        HBox header = new HBox(8, swatch, title, gap, status, progress);
        header.setAlignment(Pos.CENTER_LEFT);
        status.visibleProperty().bind(lane.cellsProperty().isNotNull());
        progress.visibleProperty().bind(lane.samplingProperty()); // a finished lane gives its room to the status
        progress.managedProperty().bind(progress.visibleProperty());

        grid.setId("text-grid-" + lane.id());
        grid.cellsProperty().bind(lane.cellsProperty());
        grid.hoveredProperty().addListener((o, was, is) -> {
            if (is.intValue() >= 0) model.hoveredLaneProperty().set(lane);
            model.hoveredProperty().set(is.intValue());
        });
        Label note = label("", "chart-placeholder");
        note.setId("text-status-note-" + lane.id());
        note.textProperty().bind(lane.statusProperty());
        note.visibleProperty().bind(lane.cellsProperty().isNull()); // before its first frame: what it waits for
        note.setMaxWidth(640);
        StackPane holder = new StackPane(grid, note);
        VBox.setVgrow(holder, Priority.ALWAYS);

        getChildren().addAll(header, holder);
        visibleProperty().bind(lane.shownProperty());
        managedProperty().bind(visibleProperty());
        pseudoClassStateChanged(FOCUSED, focused.get());
        focused.addListener((o, was, is) -> pseudoClassStateChanged(FOCUSED, is));
        setOnMouseClicked(e -> focus.run());
        setMinWidth(0);
        setPrefWidth(0); // lanes share the width equally
        HBox.setHgrow(this, Priority.ALWAYS);
    }

    /** Its grid: the reveal strip takes its row length from the lane in focus. */
    CharacterGridView grid() { return grid; }
}
