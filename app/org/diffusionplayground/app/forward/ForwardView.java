package org.diffusionplayground.app.forward;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.converter;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.label;

import java.io.File;
import java.util.List;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.app.shell.TimelineBar;
import org.diffusionplayground.model.data.MnistDataset;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.HistogramView;
import org.diffusionplayground.viz.ImageGridView;

/** The Forward page: binds {@link ForwardModel} to a toolbar, the image grid, read-outs, charts and a timeline. */
public final class ForwardView extends BorderPane {

    private final ForwardModel model;
    // bidirectional bindings hold their ends weakly: keep the adapters alive
    private final ObjectProperty<Integer> gridSize;
    private final ObjectProperty<Integer> chosenClass;

    public ForwardView(ForwardModel model, AppModel app) {
        this.model = model;
        this.gridSize = model.gridSizeProperty().asObject();
        this.chosenClass = model.chosenClassProperty().asObject();
        getStyleClass().add("forward-page");
        setTop(toolbar(app));
        setCenter(content());
        setBottom(timeline());
        TimelineBar.animate(model);
    }

    /** Schedule, grid, class, new images/noise, dataset; wraps onto a second row when narrow. */
    private FlowPane toolbar(AppModel app) {
        ComboBox<ScheduleKind> schedule = new ComboBox<>(FXCollections.observableArrayList(ScheduleKind.values()));
        schedule.setId("schedule");
        schedule.setConverter(converter(ScheduleKind::label, ""));
        schedule.valueProperty().bindBidirectional(model.scheduleKindProperty());
        Slider shift = new Slider(-4, 4, 0);
        shift.setId("shift");
        shift.setPrefWidth(110);
        shift.setMajorTickUnit(1);
        shift.setBlockIncrement(0.5);
        shift.valueProperty().bindBidirectional(model.shiftProperty());
        Label shiftValue = new Label();
        shiftValue.textProperty().bind(Bindings.format("shift %+.1f", model.shiftProperty()));
        HBox shiftBox = new HBox(6, shift, shiftValue);
        shiftBox.setAlignment(Pos.CENTER_LEFT);
        shiftBox.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> model.scheduleKindProperty().get() != null && model.scheduleKindProperty().get().shiftable(),
                model.scheduleKindProperty()));
        shiftBox.managedProperty().bind(shiftBox.visibleProperty());

        ComboBox<Integer> grid = new ComboBox<>(FXCollections.observableArrayList(
                IntStream.rangeClosed(1, ForwardModel.MAX_GRID).boxed().toList()));
        grid.setId("grid-size");
        grid.setConverter(converter(n -> n + " × " + n, ""));
        grid.valueProperty().bindBidirectional(gridSize);

        ComboBox<Integer> classes = new ComboBox<>();
        classes.setId("class");
        Runnable fillClasses = () -> {
            MnistDataset d = app.datasetProperty().get();
            List<String> names = d == null ? MnistDataset.DIGITS : d.classNames();
            Integer keep = chosenClass.get();
            classes.setItems(FXCollections.observableArrayList(IntStream.range(-1, names.size()).boxed().toList()));
            classes.setConverter(converter(c -> c == ForwardModel.ANY_CLASS ? "All classes" : names.get(c), ""));
            chosenClass.set(keep < names.size() ? keep : ForwardModel.ANY_CLASS);
        };
        fillClasses.run();
        app.datasetProperty().addListener(o -> fillClasses.run());
        classes.valueProperty().bindBidirectional(chosenClass);

        Button newImages = Icons.decorate(new Button("New images"), Icons.DICE, "Draw other images");
        newImages.setId("new-images");
        newImages.setOnAction(e -> model.newImages());
        Button newNoise = Icons.decorate(new Button("New noise"), Icons.NOISE, "Draw a new ε for every image");
        newNoise.setId("new-noise");
        newNoise.setOnAction(e -> model.newNoise());

        Label dataset = label("", "dataset-name");
        dataset.setId("dataset-name");
        dataset.textProperty().bind(Bindings.createStringBinding(() -> {
            MnistDataset d = app.datasetProperty().get();
            if (!app.datasetLoadingProperty().get().isEmpty()) return app.datasetLoadingProperty().get();
            return d == null ? "loading data…" : "%s · %,d images".formatted(d.name(), d.size());
        }, app.datasetProperty(), app.datasetLoadingProperty()));
        Button open = Icons.decorate(new Button("Open IDX folder…"), Icons.FOLDER,
                "Load full MNIST or Fashion-MNIST (e.g. /usr/share/datasets/fashion-mnist)");
        open.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Folder with MNIST-style IDX files");
            File fashion = new File("/usr/share/datasets/fashion-mnist");
            if (fashion.isDirectory()) chooser.setInitialDirectory(fashion);
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) app.openDataset(dir.toPath());
        });

        open.disableProperty().bind(app.datasetLoadingProperty().isNotEmpty());
        ProgressBar loading = new ProgressBar();
        loading.setId("dataset-progress");
        loading.setPrefWidth(120);
        loading.progressProperty().bind(app.datasetProgressProperty());
        Button cancel = Icons.decorate(new Button("Cancel"), Icons.STOP, "Stop loading; the images shown stay");
        cancel.setId("dataset-cancel");
        cancel.setOnAction(e -> app.cancelDatasetLoading());
        HBox loadingBox = group(loading, cancel);
        loadingBox.visibleProperty().bind(app.datasetLoadingProperty().isNotEmpty());
        loadingBox.managedProperty().bind(loadingBox.visibleProperty());

        FlowPane bar = new FlowPane(16, 8, group(label("Schedule", "field-label"), schedule, shiftBox),
                group(label("Grid", "field-label"), grid, label("Class", "field-label"), classes),
                group(newImages, newNoise), group(dataset, open, loadingBox));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    private HBox content() {
        ImageGridView grid = new ImageGridView();
        grid.setId("image-grid");
        grid.imagesProperty().bind(model.noisedProperty());
        grid.columnsProperty().bind(model.gridSizeProperty());
        Label formula = label("", "formula");
        formula.setId("formula");
        formula.textProperty().bind(Bindings.createStringBinding(() -> "x%s = %s · x₀ + %s · ε".formatted(
                Format.subscript(model.stepProperty().get()), Format.number(model.alphaProperty().get()),
                Format.number(model.sigmaProperty().get())), model.stepProperty(), model.alphaProperty(), model.sigmaProperty()));
        Label blank = label("", "chart-placeholder");
        blank.setId("blank-note");
        blank.setWrapText(true);
        blank.textProperty().bind(model.blankNoteProperty());
        blank.visibleProperty().bind(model.blankNoteProperty().isNotEmpty());
        blank.setMouseTransparent(true);
        StackPane gridHolder = new StackPane(grid, blank);
        VBox gridCard = card("Images xₜ", gridHolder, formula);
        gridCard.getStyleClass().add("grid-card");
        HBox.setHgrow(gridCard, Priority.ALWAYS);

        CurveChart alphaBar = chart("ᾱₜ", false);
        alphaBar.setId("alpha-bar-chart");
        alphaBar.curvesProperty().bind(model.alphaBarCurveProperty());
        CurveChart snr = chart("SNR", true);
        snr.setId("snr-chart");
        snr.curvesProperty().bind(model.snrCurveProperty());
        HistogramView histogram = new HistogramView();
        histogram.setId("histogram");
        histogram.valuesProperty().bind(model.noisedProperty());

        VBox side = new VBox(12, card("At this step", readouts()), card("Signal variance ᾱₜ", alphaBar),
                card("Signal-to-noise ratio (log scale)", snr), card("Pixel values of xₜ", histogram));
        side.getStyleClass().add("side-column");
        side.getChildren().subList(1, 4).forEach(n -> VBox.setVgrow(n, Priority.ALWAYS));
        // the read-outs and charts scroll where the window is too short for them; the image grid never does
        javafx.scene.control.ScrollPane sideScroll = new javafx.scene.control.ScrollPane(side);
        sideScroll.setFitToWidth(true);
        sideScroll.setFitToHeight(true);
        sideScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        sideScroll.getStyleClass().add("side-scroll");
        sideScroll.setMinWidth(300);
        HBox content = new HBox(12, gridCard, sideScroll);
        content.getStyleClass().add("page-content");
        return content;
    }

    private CurveChart chart(String yLabel, boolean log) {
        CurveChart c = new CurveChart();
        c.setXLabel("t");
        c.setYLabel(yLabel);
        c.logYProperty().set(log);
        c.markerProperty().bind(model.stepProperty());
        return c;
    }

    private GridPane readouts() {
        GridPane g = new GridPane();
        g.getStyleClass().add("readouts");
        Label t = value("readout-t");
        t.textProperty().bind(Bindings.createStringBinding(() -> "%d / %d".formatted(model.stepProperty().get(),
                model.stepsProperty().get()), model.stepProperty(), model.stepsProperty()));
        Label tt = value("readout-time");
        tt.textProperty().bind(Bindings.createStringBinding(() -> Format.number(model.timeProperty().get()), model.timeProperty()));
        Label alphaBar = value("readout-alpha-bar");
        alphaBar.textProperty().bind(Bindings.createStringBinding(() -> Format.number(model.alphaBarProperty().get()), model.alphaBarProperty()));
        Label logSnr = value("readout-log-snr");
        logSnr.textProperty().bind(Bindings.createStringBinding(() -> Format.number(model.logSnrProperty().get()), model.logSnrProperty()));
        Label signal = value("readout-signal");
        signal.textProperty().bind(Bindings.createStringBinding(() -> Format.number(model.alphaProperty().get()), model.alphaProperty()));
        Label noise = value("readout-noise");
        noise.textProperty().bind(Bindings.createStringBinding(() -> Format.number(model.sigmaProperty().get()), model.sigmaProperty()));
        ProgressBar signalBar = bar("signal-bar");
        signalBar.progressProperty().bind(model.alphaProperty());
        ProgressBar noiseBar = bar("noise-bar");
        noiseBar.progressProperty().bind(model.sigmaProperty());
        g.addRow(0, label("step t", "readout-name"), t);
        g.addRow(1, label("time t/T", "readout-name"), tt);
        g.addRow(2, label("ᾱₜ", "readout-name"), alphaBar);
        g.addRow(3, label("log-SNR λₜ", "readout-name"), logSnr);
        g.addRow(4, label("signal √ᾱₜ", "readout-name"), signal, signalBar);
        g.addRow(5, label("noise √(1−ᾱₜ)", "readout-name"), noise, noiseBar);
        // names and values keep their width and the bars take what is left: on a 1024×768 projector
        // the side column is ~270 px inside its card, and the names were cut to "signa…", "noise…"
        for (int c = 0; c < 2; c++) {
            ColumnConstraints keep = new ColumnConstraints();
            keep.setMinWidth(Region.USE_PREF_SIZE);
            g.getColumnConstraints().add(keep);
        }
        return g;
    }

    private static Label value(String id) {
        Label l = label("", org.diffusionplayground.viz.StyleClasses.READOUT);
        l.setId(id);
        return l;
    }

    private static ProgressBar bar(String styleClass) {
        ProgressBar b = new ProgressBar();
        b.getStyleClass().add(styleClass);
        b.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(b, Priority.ALWAYS);
        return b;
    }

    private TimelineBar timeline() {
        return new TimelineBar(model, model.stepProperty(), model.stepsProperty(), Bindings.createStringBinding(
                () -> "t = %d / %d".formatted(model.stepProperty().get(), model.stepsProperty().get()),
                model.stepProperty(), model.stepsProperty()), "time-slider");
    }
}
