package org.diffusionplayground.app.train;

import static org.diffusionplayground.app.shell.Cards.combo;
import static org.diffusionplayground.app.shell.Cards.label;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.model.schedule.Parameterization;

/** The Train page's settings panel, bound to a {@link TrainModel}; locked while a run is under way. */
final class TrainForm extends VBox {

    private final TrainModel model;
    // bidirectional bindings hold their ends weakly: keep the adapters alive
    private final ObjectProperty<Integer> steps;
    private final ObjectProperty<Integer> batch;
    private final ObjectProperty<Integer> seed;
    private final ObjectProperty<Integer> every;

    TrainForm(TrainModel model) {
        super(10);
        this.model = model;
        this.steps = model.stepsProperty().asObject();
        this.batch = model.batchProperty().asObject();
        this.seed = model.seedProperty().asObject();
        this.every = model.checkpointEveryProperty().asObject();
        getStyleClass().add("train-form");
        BooleanBinding busy = model.stateProperty().isNotEqualTo(TrainModel.State.IDLE);
        BooleanBinding resuming = model.resumeFromProperty().isNotNull();

        GridPane data = grid();
        ComboBox<DatasetChoice> dataset = combo(DatasetChoice.values(), DatasetChoice::label);
        dataset.setId("train-dataset");
        dataset.setMaxWidth(Double.MAX_VALUE);
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        dataset.valueProperty().addListener((o, was, is) -> {
            if (is != null && is.needsFolder() && model.dataFolderProperty().get() == null) chooseDataFolder();
        });
        Label folder = label("", "train-path");
        folder.setId("train-data-folder");
        folder.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
        HBox.setHgrow(folder, Priority.ALWAYS);
        folder.setMaxWidth(Double.MAX_VALUE);
        folder.textProperty().bind(Bindings.createStringBinding(() -> model.dataFolderProperty().get() == null
                ? "no folder chosen" : model.dataFolderProperty().get().toString(), model.dataFolderProperty()));
        Button choose = Icons.decorate(new Button("Folder…"), Icons.FOLDER, "A folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]");
        choose.setId("train-choose-data");
        choose.setOnAction(e -> chooseDataFolder());
        Label note = label("", "field-note");
        note.setId("train-data-note");
        note.textProperty().bind(model.dataNoteProperty());
        VBox folderBox = new VBox(4, row(folder, choose), note);
        folderBox.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.datasetProperty().get() != null
                && model.datasetProperty().get().needsFolder(), model.datasetProperty()));
        folderBox.managedProperty().bind(folderBox.visibleProperty());
        data.addRow(0, name("Dataset"), dataset);
        data.add(folderBox, 1, 1);

        GridPane net = grid();
        BooleanBinding text = Bindings.createBooleanBinding(() -> model.datasetProperty().get() != null
                && model.datasetProperty().get().isText(), model.datasetProperty());
        ComboBox<String> preset = combo(new String[0], p -> presetLabel(p, text.get()));
        preset.setId("train-preset");
        preset.setMaxWidth(Double.MAX_VALUE);
        Runnable presets = () -> {
            preset.getItems().setAll(model.datasetProperty().get().presets());
            preset.setConverter(Cards.converter(p -> presetLabel(p, text.get()), "")); // a new converter redraws the shown name
            preset.setValue(model.presetProperty().get());
        };
        presets.run();
        model.datasetProperty().addListener(o -> presets.run());
        preset.valueProperty().bindBidirectional(model.presetProperty());
        Tooltip presetTip = new Tooltip();
        presetTip.textProperty().bind(Bindings.when(text)
                .then("tiny: a few seconds' test; small: 1.3 M parameters, ≈ 1.3 s a step of 32 windows on one core; base: 4.1 M")
                .otherwise("small: the fast default (~¼ of the reference's FLOPs); reference: ~4× slower per step"));
        preset.setTooltip(presetTip);
        ComboBox<Parameterization> prediction = combo(new Parameterization[] {Parameterization.V, Parameterization.EPS},
                p -> p == Parameterization.V ? "v (Salimans & Ho 2022)" : "ε (Ho et al. 2020)");
        prediction.setId("train-prediction");
        prediction.setMaxWidth(Double.MAX_VALUE);
        prediction.valueProperty().bindBidirectional(model.predictionProperty());
        ComboBox<TextProcessChoice> process = combo(TextProcessChoice.values(), TextProcessChoice::label);
        process.setId("train-process");
        process.setMaxWidth(Double.MAX_VALUE);
        process.valueProperty().bindBidirectional(model.processProperty());
        process.setTooltip(new Tooltip("Masked: characters become [M] and the model learns to fill them in (MDLM, Sahoo et al. 2024)."
                + " Uniform: characters are resampled at random and the model learns the ratios that undo it (SEDD, Lou et al. 2023)."
                + " Left to right: the baseline — a causal model of the same size that predicts each character from those before it"
                + " and writes one per step"));
        Label predicts = name("Predicts"), forward = name("Process");
        net.addRow(0, name("Model"), preset);
        net.addRow(1, predicts, prediction);
        net.addRow(2, forward, process);
        for (Node n : new Node[] {predicts, prediction}) shownWhen(n, text.not());
        for (Node n : new Node[] {forward, process}) shownWhen(n, text);
        net.disableProperty().bind(resuming);

        GridPane run = grid();
        Spinner<Integer> stepCount = spinner("train-steps", 1, TrainSettings.MAX_STEPS, steps, 500);
        Spinner<Integer> batchSize = spinner("train-batch", 1, TrainSettings.MAX_BATCH, batch, 8);
        TextField rate = new TextField();
        rate.setId("train-lr");
        rate.textProperty().bindBidirectional(model.learningRateProperty());
        rate.setTooltip(new Tooltip("Adam's learning rate after a linear warm-up over min(200, steps/10) steps"));
        Spinner<Integer> seedBox = spinner("train-seed", 0, Integer.MAX_VALUE, seed, 1);
        Spinner<Integer> everyBox = spinner("train-every", 1, 1_000_000, every, 50);
        everyBox.setTooltip(new Tooltip("A checkpoint (and a new preview) every this many steps, and one when the run stops"));
        run.addRow(0, name("Steps"), stepCount);
        run.addRow(1, name("Batch"), batchSize);
        run.addRow(2, name("Learning rate"), rate);
        run.addRow(3, name("Seed"), seedBox);
        run.addRow(4, name("Checkpoint every"), everyBox);
        for (Node n : new Node[] {batchSize, rate, seedBox, everyBox}) n.disableProperty().bind(resuming);

        TextField out = new TextField();
        out.setId("train-out");
        out.textProperty().bindBidirectional(model.outDirProperty());
        Tooltip outTip = new Tooltip();
        outTip.textProperty().bind(Bindings.concat("Checkpoints, model.dpck and loss.csv go to\n", model.outDirProperty()));
        out.setTooltip(outTip);
        // show the folder's own name (the end of the path) while the field is not being edited
        model.outDirProperty().addListener((o, was, is) -> {
            if (!out.isFocused()) Platform.runLater(out::end);
        });
        out.focusedProperty().addListener((o, was, is) -> {
            if (!is) out.end();
        });
        Platform.runLater(out::end);
        HBox.setHgrow(out, Priority.ALWAYS);
        Button chooseOut = Icons.decorate(new Button("…"), Icons.FOLDER, "Choose the run folder");
        chooseOut.setOnAction(e -> chooseOutDir());
        HBox outRow = row(out, chooseOut);
        outRow.visibleProperty().bind(resuming.not());
        outRow.managedProperty().bind(outRow.visibleProperty());

        Label resumeText = label("", "field-note");
        resumeText.setId("train-resume-text");
        resumeText.textProperty().bind(Bindings.createStringBinding(() -> model.resumeFromProperty().get() == null ? ""
                : model.resumeFromProperty().get().describe(), model.resumeFromProperty()));
        resumeText.visibleProperty().bind(resuming);
        resumeText.managedProperty().bind(resuming);
        Button resume = Icons.decorate(new Button("Resume a run…"), Icons.FOLDER, "Continue a run folder from its newest checkpoint");
        resume.setId("train-open-run");
        resume.setOnAction(e -> chooseRun());
        Button fresh = new Button("New run");
        fresh.setId("train-new-run");
        fresh.setOnAction(e -> model.newRun());
        fresh.visibleProperty().bind(resuming);
        fresh.managedProperty().bind(resuming);

        getChildren().addAll(label("Data", "section-title"), data, label("Network", "section-title"), net,
                label("Training", "section-title"), run, label("Run folder", "section-title"), outRow, resumeText,
                row(resume, fresh));
        disableProperty().bind(busy); // a node is disabled when an ancestor is: the resume locks above stay
    }

    private void chooseDataFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder with MNIST-style IDX files");
        File fashion = new File("/usr/share/datasets/fashion-mnist");
        if (model.datasetProperty().get() == DatasetChoice.FASHION_FOLDER && fashion.isDirectory()) chooser.setInitialDirectory(fashion);
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) model.chooseDataFolder(dir.toPath());
    }

    private void chooseOutDir() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Run folder (a new or empty folder)");
        Path root = RunFiles.runsRoot();
        if (Files.isDirectory(root)) chooser.setInitialDirectory(root.toFile());
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) model.outDirProperty().set(dir.toString());
    }

    private void chooseRun() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Run folder to continue (holds ckpt-NNNNNNN.dpck)");
        Path root = RunFiles.runsRoot();
        if (Files.isDirectory(root)) chooser.setInitialDirectory(root.toFile());
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) model.openRun(dir.toPath());
    }

    /** How the preset combo names a preset of the chosen kind of network. */
    private static String presetLabel(String p, boolean text) {
        if (text) return switch (p) {
            case "tiny" -> "tiny (context 16, 1 layer: a test)";
            case "small" -> "small (context 256, d 128, 4 layers)";
            case "base" -> "base (context 256, d 256, 4 layers)";
            default -> p;
        };
        return p.equals("small") ? "small (16/32/64)" : p.equals("reference") ? "reference (32/64/128, attention)" : p;
    }

    private static void shownWhen(Node n, javafx.beans.value.ObservableBooleanValue when) {
        n.visibleProperty().bind(when);
        n.managedProperty().bind(n.visibleProperty());
    }

    /** A two-column form: names in a fixed column, so the sections line up; controls take the rest. */
    private static GridPane grid() {
        GridPane g = new GridPane();
        g.getStyleClass().add("form-grid");
        ColumnConstraints names = new ColumnConstraints();
        names.setMinWidth(112);
        ColumnConstraints controls = new ColumnConstraints();
        controls.setHgrow(Priority.ALWAYS);
        controls.setFillWidth(true);
        g.getColumnConstraints().addAll(names, controls);
        return g;
    }

    private static Label name(String text) {
        Label l = label(text, "field-label");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static HBox row(Node... nodes) {
        HBox box = new HBox(6, nodes);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static Spinner<Integer> spinner(String id, int min, int max, ObjectProperty<Integer> value, int step) {
        Spinner<Integer> s = new Spinner<>(min, max, value.get(), step);
        s.setId(id);
        s.setEditable(true);
        s.getValueFactory().valueProperty().bindBidirectional(value);
        return s;
    }

}
