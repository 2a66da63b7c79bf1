package org.diffusionplayground.app.train;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.label;
import static org.diffusionplayground.app.shell.Cards.readout;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.ImageGridView;

/**
 * The Train page: settings on the left; run controls, the live loss chart, read-outs and the
 * preview — digits for an image run, a text sample and the validation bits/char for a text run.
 */
public final class TrainView extends BorderPane {

    private final TrainModel model;
    private final TrainProgress progress;

    public TrainView(TrainModel model) {
        this.model = model;
        this.progress = model.progress();
        getStyleClass().add("train-page");
        ScrollPane form = new ScrollPane(new TrainForm(model));
        form.setFitToWidth(true);
        form.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        form.getStyleClass().add("train-form-scroll");
        // the form gives up width on a narrow window (it scrolls), so the run controls and preview stay on screen
        form.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(300, Math.min(440, 0.38 * getWidth())), widthProperty()));
        setLeft(form);
        VBox centre = new VBox(12, controls(), chartCard(), below());
        VBox.setVgrow(centre.getChildren().get(1), Priority.ALWAYS);
        centre.getStyleClass().add("train-centre");
        setCenter(centre);
    }

    /**
     * The form's least width, not its preferred one: a BorderPane's minimum counts its left side at
     * its preferred width, which the binding above ties to this page's width, so a page widened once
     * (presentation mode) kept itself too wide for a pass or two after narrowing again.
     */
    @Override
    protected double computeMinWidth(double height) {
        double left = getLeft() == null ? 0 : getLeft().minWidth(height), centre = getCenter() == null ? 0 : getCenter().minWidth(height);
        return snappedLeftInset() + left + centre + snappedRightInset();
    }

    /** Start / Pause / Resume / Stop, the progress bar and what the run is doing. */
    private HBox controls() {
        Button start = Icons.decorate(new Button("Start"), Icons.PLAY, "Train with these settings (or continue the chosen run)");
        start.setId("train-start");
        start.getStyleClass().add("train-start");
        start.setDefaultButton(false);
        start.setOnAction(e -> model.start(this::confirm));
        start.disableProperty().bind(model.stateProperty().isNotEqualTo(TrainModel.State.IDLE));
        start.textProperty().bind(Bindings.when(model.resumeFromProperty().isNull()).then("Start").otherwise("Continue"));
        Button pause = Icons.decorate(new Button("Pause"), Icons.PAUSE, "Hold the run between steps");
        pause.setId("train-pause");
        pause.setOnAction(e -> model.pause());
        pause.disableProperty().bind(model.stateProperty().isNotEqualTo(TrainModel.State.RUNNING));
        Button resume = Icons.decorate(new Button("Resume"), Icons.PLAY, "Carry on from where it paused");
        resume.setId("train-resume");
        resume.setOnAction(e -> model.resume());
        resume.disableProperty().bind(model.stateProperty().isNotEqualTo(TrainModel.State.PAUSED));
        Button stop = Icons.decorate(new Button("Stop"), Icons.STOP, "Stop after the current step and write a checkpoint");
        stop.setId("train-stop");
        stop.setOnAction(e -> model.stop());
        stop.disableProperty().bind(model.stateProperty().isNotEqualTo(TrainModel.State.RUNNING)
                .and(model.stateProperty().isNotEqualTo(TrainModel.State.PAUSED))
                .and(model.stateProperty().isNotEqualTo(TrainModel.State.PREPARING))); // Stop also stops a long load

        ProgressBar bar = new ProgressBar();
        bar.setId("train-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(Bindings.createDoubleBinding(() -> model.stateProperty().get() != TrainModel.State.PREPARING
                ? progress.fractionProperty().get() : model.loadingProperty().get() > 0 ? model.loadingProperty().get() : -1.0,
                model.stateProperty(), model.loadingProperty(), progress.fractionProperty()));
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label status = label("", "train-status");
        status.setId("train-status");
        status.textProperty().bind(model.statusProperty());
        status.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, start, pause, resume, stop, bar, status);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("train-controls");
        return row;
    }

    private VBox chartCard() {
        CurveChart chart = new CurveChart();
        chart.setId("train-loss-chart");
        CheckBox log = new CheckBox("log scale");
        log.setId("train-log-scale");
        log.setTooltip(new Tooltip("A log y axis (whole decades marked) shows the slow late decline"));
        chart.logYProperty().bind(log.selectedProperty());
        chart.setXLabel("step");
        chart.yLabelProperty().bind(Bindings.createStringBinding(() -> text()
                ? "loss (bound, nats/char)" // short: the axis is ~190 px tall at 1280×720 in presentation mode
                : "loss (" + (model.predictionProperty().get() == Parameterization.EPS ? "ε" : "v") + "-prediction MSE)",
                model.predictionProperty(), model.datasetProperty()));
        chart.curvesProperty().bind(progress.curvesProperty());
        Label empty = label("The loss appears here once the run starts: each step's loss and its moving average.", "chart-placeholder");
        empty.visibleProperty().bind(progress.curvesShownProperty().isEqualTo(0));
        StackPane holder = new StackPane(chart, empty);
        VBox.setVgrow(holder, Priority.ALWAYS);
        HBox validation = legend("swatch-" + TrainProgress.VALIDATION_COLOUR, "validation bound (EMA weights), each checkpoint");
        Tooltip.install(validation, new Tooltip("The EMA weights' bound on held-out text, in the loss's nats/char (÷ ln 2 = bits/char)"));
        validation.visibleProperty().bind(Bindings.createBooleanBinding(this::text, model.datasetProperty()));
        validation.managedProperty().bind(validation.visibleProperty());
        // below the chart, wrapping on a narrow window: a third entry for text runs would squeeze the card's header
        FlowPane legends = new FlowPane(14, 4, legend("swatch-6", "each step"), legend("swatch-1", "smoothed (~20 steps)"), validation);
        legends.setAlignment(Pos.CENTER_RIGHT);
        return card("Training loss", new VBox(4, holder, legends), log);
    }

    /** Whether the form (and so the run it shows) is a text one. */
    private boolean text() {
        return model.datasetProperty().get() != null && model.datasetProperty().get().isText();
    }

    private static HBox legend(String swatchClass, String text) {
        Region swatch = new Region();
        swatch.getStyleClass().addAll("swatch", swatchClass);
        HBox row = new HBox(6, swatch, label(text, "field-note"));
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** Read-outs beside the preview grid with its "Use this model" button. */
    private HBox below() {
        GridPane readouts = new GridPane();
        readouts.getStyleClass().add("readouts");
        ColumnConstraints stepValues = new ColumnConstraints();
        stepValues.setMinWidth(125); // "12,000 / 12,000"
        readouts.getColumnConstraints().addAll(new ColumnConstraints(), stepValues);
        readout(readouts, 0, "Step", "train-step", progress.stepTextProperty());
        readout(readouts, 1, "ETA", "train-eta", progress.etaTextProperty());
        readout(readouts, 2, "Loss", "train-loss", progress.lossTextProperty());
        readout(readouts, 3, "Smoothed", "train-smoothed", progress.smoothedTextProperty());
        readout(readouts, 4, "Learning rate", "train-lr-now", progress.rateTextProperty());
        readout(readouts, 5, "Speed", "train-speed", progress.speedTextProperty());
        Label checkpoint = label("", "readout");
        checkpoint.setId("train-checkpoint");
        checkpoint.textProperty().bind(progress.checkpointTextProperty());
        Label folder = label("", "readout-note");
        folder.setId("train-run-folder");
        folder.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
        folder.textProperty().bind(Bindings.createStringBinding(() -> model.runFolderProperty().get() == null ? ""
                : model.runFolderProperty().get().toString(), model.runFolderProperty()));
        folder.setMinWidth(0);
        folder.setPrefWidth(300); // the path's own width would widen the card; it is cut at its start instead
        checkpoint.setMinWidth(0);
        checkpoint.setPrefWidth(300);
        readouts.add(label("Checkpoint", "readout-name"), 0, 3);
        readouts.add(checkpoint, 1, 3, 3, 1);
        readouts.add(label("Folder", "readout-name"), 0, 4);
        readouts.add(folder, 1, 4, 3, 1);
        Label validationName = label("Validation", "readout-name");
        Label validation = label("", "readout");
        validation.setId("train-validation");
        validation.textProperty().bind(progress.validationTextProperty());
        validation.setTooltip(new Tooltip("The EMA weights' bound on the first " + TextPreview.WINDOWS + " validation windows, one draw"
                + " of t and noise, the same at every checkpoint (MDLM eq. 10; SEDD eq. 11)"));
        for (Label l : new Label[] {validationName, validation}) {
            l.visibleProperty().bind(progress.validationTextProperty().isNotEmpty());
            l.managedProperty().bind(l.visibleProperty());
        }
        readouts.add(validationName, 0, 5);
        readouts.add(validation, 1, 5, 3, 1);
        VBox runCard = card("Run", readouts);
        runCard.getStyleClass().add("train-readouts");
        stackWhenNarrow(runCard, readouts);

        ImageGridView grid = new ImageGridView();
        grid.setId("train-preview");
        grid.columnsProperty().set(5);
        grid.imagesProperty().bind(progress.previewProperty());
        grid.visibleProperty().bind(progress.sampleProperty().isNull());
        Label sample = label("", "train-text-sample");
        sample.setId("train-text-sample");
        sample.setWrapText(true);
        sample.setMinHeight(0);
        sample.setAlignment(Pos.TOP_LEFT);
        sample.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        sample.textProperty().bind(progress.sampleProperty());
        sample.visibleProperty().bind(progress.sampleProperty().isNotNull());
        Label waiting = label("", "chart-placeholder");
        waiting.textProperty().bind(Bindings.createStringBinding(() -> !progress.previewTextProperty().get().isEmpty()
                ? progress.previewTextProperty().get() : text()
                ? "A text sample and the validation bits/char from the EMA weights, after every checkpoint"
                : "One digit per class from the EMA weights, after every checkpoint",
                progress.previewTextProperty(), model.datasetProperty()));
        waiting.visibleProperty().bind(progress.previewProperty().isNull().and(progress.sampleProperty().isNull()));
        waiting.setWrapText(true);
        StackPane holder = new StackPane(grid, sample, waiting);
        VBox.setVgrow(holder, Priority.ALWAYS);
        Label caption = label("", "field-note");
        caption.setId("train-preview-text");
        caption.textProperty().bind(progress.previewTextProperty());
        Button use = Icons.decorate(new Button("Use this model"), Icons.REVERSE_PAGE,
                "Reverse and Compare then sample this run's newest model file (its EMA weights)");
        use.getTooltip().textProperty().bind(Bindings.when(model.textRunProperty())
                .then("The Text page then writes with this run's newest model file (its EMA weights)")
                .otherwise("Reverse and Compare then sample this run's newest model file (its EMA weights)"));
        use.setId("train-use-model");
        use.setOnAction(e -> model.useModel());
        use.disableProperty().bind(model.modelReadyProperty().not());
        use.setMaxWidth(Double.MAX_VALUE);
        use.setMinWidth(Region.USE_PREF_SIZE); // the card is at least as wide as the button's whole label ("Use this …" in presentation at 1024×768)
        VBox previewCard = card("Samples (EMA weights)", new VBox(6, holder, caption, use)); // the button below: the card can be narrow
        previewCard.setPrefWidth(200); // grows into what the read-outs leave (the grid's own preference would squeeze them)
        HBox.setHgrow(previewCard, Priority.ALWAYS);
        HBox row = new HBox(12, runCard, previewCard);
        row.getStyleClass().add("train-below");
        return row;
    }

    /**
     * The read-outs in two pairs of columns (Step, Loss, Learning rate | ETA, Smoothed, Speed) where
     * the card has room, else the second pair under the first: at 1024×768 the card is ~300 px wide
     * and the two pairs need ~430, so ETA, Smoothed and Speed fell outside it (seen under Xvfb).
     */
    private static void stackWhenNarrow(VBox card, GridPane grid) {
        List<Node> right = new ArrayList<>(), under = new ArrayList<>();
        for (Node n : grid.getChildren()) {
            if (GridPane.getRowIndex(n) <= 2 && GridPane.getColumnIndex(n) >= 2) right.add(n);
            else if (GridPane.getRowIndex(n) >= 3) under.add(n);
        }
        double[] wide = {0}; // the width the two pairs side by side need, measured when they no longer fit
        card.widthProperty().addListener(o -> {
            double room = card.getWidth() - card.snappedLeftInset() - card.snappedRightInset();
            boolean stacked = wide[0] > 0;
            if (!stacked && grid.minWidth(-1) > room + 0.5) {
                wide[0] = grid.minWidth(-1);
                shift(right, 3, -2);
                shift(under, 3, 0);
            } else if (stacked && room >= wide[0]) {
                wide[0] = 0;
                shift(right, -3, 2);
                shift(under, -3, 0);
            }
        });
    }

    private static void shift(List<Node> nodes, int rows, int columns) {
        for (Node n : nodes) {
            GridPane.setRowIndex(n, GridPane.getRowIndex(n) + rows);
            GridPane.setColumnIndex(n, GridPane.getColumnIndex(n) + columns);
        }
    }

    /** The "replace this run?" question as a dialog styled like the window. */
    private boolean confirm(String question) {
        ButtonType replace = new ButtonType("Replace", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, question, replace, ButtonType.CANCEL);
        alert.setTitle("Replace a run?");
        alert.setHeaderText("The output folder holds a run");
        alert.initOwner(getScene().getWindow());
        alert.getDialogPane().getStylesheets().addAll(getScene().getStylesheets());
        if (getScene().getRoot().getStyleClass().contains("dark")) alert.getDialogPane().getStyleClass().add("dark");
        return alert.showAndWait().filter(b -> b == replace).isPresent();
    }

}
