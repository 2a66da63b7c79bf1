package org.diffusionplayground.app.schedules;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.label;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.app.shell.SpacingText;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.viz.CurveChart;

/** The Schedules page: schedule and spacing controls on the left, five charts and the timesteps on the right. */
public final class SchedulesView extends BorderPane {

    private static final int EXPORT_WIDTH = 1200, EXPORT_HEIGHT = 800;

    private final SchedulesModel model;
    private final Consumer<Throwable> onExportError;
    private final Map<Quantity, CurveChart> charts = new EnumMap<>(Quantity.class);
    private final ObjectProperty<Integer> stepCount; // kept: bidirectional bindings are weak

    public SchedulesView(SchedulesModel model, Consumer<Throwable> onExportError) {
        this.model = model;
        this.onExportError = onExportError;
        this.stepCount = model.stepCountProperty().asObject();
        getStyleClass().add("schedules-page");
        setLeft(controls());
        setCenter(chartGrid());
    }

    private VBox controls() {
        VBox schedules = new VBox(8);
        for (ScheduleKind c : ScheduleKind.values()) {
            CheckBox box = new CheckBox(c.label());
            box.setId("show-" + c.cliName());
            box.selectedProperty().bindBidirectional(model.selectedProperty(c));
            Region swatch = new Region();
            swatch.getStyleClass().addAll("swatch", "swatch-" + c.ordinal());
            HBox row = new HBox(8, swatch, box);
            row.setAlignment(Pos.CENTER_LEFT);
            schedules.getChildren().add(row);
            if (c.shiftable()) schedules.getChildren().add(shiftRow(box));
        }
        CheckBox flowBox = new CheckBox("Linear interpolant (flow)");
        flowBox.setId("show-flow");
        flowBox.setTooltip(new javafx.scene.control.Tooltip("Flow matching's path x_t = (1 − t)·x0 + t·ε: α = 1 − t, σ = t "
                + "(Lipman et al. 2023, “Flow matching for generative modeling”; Liu et al. 2023, “Flow straight and fast”). "
                + "Its signal variance α² is drawn on the ᾱ chart, σ on the noise chart; it has no β (not variance preserving)."));
        flowBox.selectedProperty().bindBidirectional(model.flowProperty());
        Region flowSwatch = new Region();
        flowSwatch.getStyleClass().addAll("swatch", "swatch-" + SchedulesModel.FLOW_COLOUR);
        HBox flowRow = new HBox(8, flowSwatch, flowBox);
        flowRow.setAlignment(Pos.CENTER_LEFT);
        schedules.getChildren().add(flowRow);
        for (TextSchedule t : TextSchedule.values()) schedules.getChildren().add(textRow(t));

        Label overlap = label("", "field-note");
        overlap.setId("schedules-overlap");
        overlap.setWrapText(true);
        overlap.textProperty().bind(model.overlapProperty());
        overlap.visibleProperty().bind(model.overlapProperty().isNotEmpty());
        overlap.managedProperty().bind(overlap.visibleProperty());
        schedules.getChildren().add(overlap);

        Spinner<Integer> steps = new Spinner<>(1, 1000, model.stepCountProperty().get());
        steps.setId("step-count");
        steps.setEditable(true);
        steps.getValueFactory().valueProperty().bindBidirectional(stepCount);
        VBox spacingButtons = new VBox(6);
        ToggleGroup group = new ToggleGroup();
        for (Spacing s : Spacing.values()) {
            RadioButton b = new RadioButton(SpacingText.name(s));
            b.setTooltip(SpacingText.wrapped(SpacingText.tooltip(s)));
            b.setId("spacing-" + s.name().toLowerCase(Locale.ROOT));
            b.setUserData(s);
            b.setToggleGroup(group);
            b.setSelected(s == model.spacingProperty().get());
            Label note = label(SpacingText.note(s), "field-note");
            note.setPadding(new javafx.geometry.Insets(0, 0, 0, 26));
            spacingButtons.getChildren().addAll(b, note);
        }
        group.selectedToggleProperty().addListener((o, was, is) -> {
            if (is == null) was.setSelected(true); // one spacing is always chosen
            else model.spacingProperty().set((Spacing) is.getUserData());
        });
        model.spacingProperty().addListener((o, was, is) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == is)));

        Button export = Icons.decorate(new Button("Export charts (PNG + SVG)…"), Icons.SAVE, "Writes one PNG and one SVG per chart into a folder");
        export.setId("schedules-export");
        export.setOnAction(e -> exportAll());

        VBox box = new VBox(10, label("Schedules", "section-title"), schedules,
                label("Sampling steps n (1–1000)", "section-title"), steps,
                label("Spacing", "section-title"), spacingButtons,
                label("The markers on every curve are the n times a sampler visits.", "field-note"),
                spacerV(), export);
        box.getStyleClass().add("side-panel");
        return box;
    }

    /** A discrete (text) schedule's checkbox with its swatch. */
    private HBox textRow(TextSchedule t) {
        CheckBox box = new CheckBox(t.label());
        box.setId("show-" + t.id());
        box.setTooltip(new javafx.scene.control.Tooltip(t.citation() + ". Drawn on the two text charts: the probability that a"
                + " character is still clean, and the total noise σ̄(t); its markers are the n uniform times the text samplers visit."));
        box.selectedProperty().bindBidirectional(model.textProperty(t));
        Region swatch = new Region();
        swatch.getStyleClass().addAll("swatch", "swatch-" + t.colour());
        HBox row = new HBox(8, swatch, box);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** The shift slider of the shifted cosine, enabled while that schedule is shown. */
    private HBox shiftRow(CheckBox shown) {
        Slider shift = new Slider(-4, 4, model.shiftProperty().get());
        shift.setId("schedules-shift");
        shift.setBlockIncrement(0.5);
        shift.valueProperty().bindBidirectional(model.shiftProperty());
        HBox.setHgrow(shift, Priority.ALWAYS);
        Label value = label("", "field-note");
        value.textProperty().bind(Bindings.format("shift %+.1f", model.shiftProperty()));
        value.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(6, shift, value);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setPadding(new javafx.geometry.Insets(0, 0, 0, 22));
        row.disableProperty().bind(shown.selectedProperty().not());
        return row;
    }

    private static Region spacerV() {
        Region r = new Region();
        VBox.setVgrow(r, Priority.ALWAYS);
        return r;
    }

    private GridPane chartGrid() {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("chart-grid");
        int k = 0, d = 0;
        for (Quantity q : Quantity.values()) {
            CurveChart chart = new CurveChart();
            chart.setId("chart-" + q.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            chart.setXLabel("t");
            chart.setYLabel(q.axisLabel());
            chart.logYProperty().set(q.logScale());
            chart.curvesProperty().bind(model.curvesProperty(q));
            chart.setOnContextMenuRequested(e -> exportMenu(chart, q).show(chart, e.getScreenX(), e.getScreenY()));
            charts.put(q, chart);
            VBox card = card(q.title(), chart);
            if (q.discrete()) { // the text row, below the Gaussian charts while a text schedule is shown
                card.visibleProperty().bind(model.textShownProperty());
                card.managedProperty().bind(card.visibleProperty());
                grid.add(card, d++, 3);
            } else {
                grid.add(card, k % 2, k / 2);
                k++;
            }
        }
        grid.add(card("Where the steps go", timesteps()), 1, 2);
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
        }
        Runnable rows = () -> {
            int n = model.textShownProperty().get() ? 4 : 3;
            List<RowConstraints> list = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                RowConstraints rc = new RowConstraints();
                rc.setPercentHeight(100.0 / n);
                rc.setVgrow(Priority.ALWAYS);
                list.add(rc);
            }
            grid.getRowConstraints().setAll(list);
        };
        rows.run();
        model.textShownProperty().addListener(o -> rows.run());
        return grid;
    }

    private ScrollPane timesteps() {
        VBox rows = new VBox(8);
        rows.setId("timesteps");
        Runnable fill = () -> {
            rows.getChildren().clear();
            for (SchedulesModel.Timesteps ts : model.timestepsProperty().get()) {
                StringBuilder text = new StringBuilder();
                for (int s : ts.steps()) text.append(text.length() == 0 ? "" : "  ").append(s);
                Label name = label(ts.label(), "timesteps-name");
                Region swatch = new Region();
                swatch.getStyleClass().addAll("swatch", "swatch-" + ts.colour());
                HBox header = new HBox(6, swatch, name);
                header.setAlignment(Pos.CENTER_LEFT);
                Label list = label(text.toString(), "timesteps-list");
                list.setWrapText(true);
                rows.getChildren().add(new VBox(2, header, list));
            }
            rows.getChildren().add(label("Steps i of T = 1000 (t = (i+1)/T), noisiest first.", "field-note"));
            if (model.textShownProperty().get()) {
                Label text = label("Text samplers (MDLM, SEDD) step uniformly in t: 1, 1 − 1/n, …, 1/n, whatever the spacing.",
                        "field-note");
                text.setWrapText(true);
                rows.getChildren().add(text);
            }
        };
        fill.run();
        model.timestepsProperty().addListener(o -> fill.run());
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("timesteps-scroll");
        return scroll;
    }

    private ContextMenu exportMenu(CurveChart chart, Quantity q) {
        MenuItem item = new MenuItem("Export PNG + SVG…");
        item.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName(fileName(q));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
            File file = chooser.showSaveDialog(getScene().getWindow());
            if (file != null) export(chart, q.title(), file);
        });
        return new ContextMenu(item);
    }

    private void exportAll() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder for the chart PNGs");
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) exportAll(dir);
    }

    /** Writes every chart as schedule-&lt;quantity&gt;.png into {@code dir}. */
    public void exportAll(File dir) {
        charts.forEach((q, chart) -> {
            if (!q.discrete() || model.textShownProperty().get()) export(chart, q.title(), new File(dir, fileName(q)));
        });
    }

    /** What every exported chart shows besides its quantity: the steps and the spacing of the markers. */
    private String subtitle() {
        int n = model.stepCountProperty().get();
        return "markers: the %d sampling time%s of %s spacing (T = 1000, t = (i+1)/T)".formatted(n, n == 1 ? "" : "s",
                SpacingText.name(model.spacingProperty().get()));
    }

    private void export(CurveChart chart, String title, File file) {
        try {
            chart.exportPng(file, EXPORT_WIDTH, EXPORT_HEIGHT, title, subtitle());
            chart.exportSvg(new File(file.getPath().replaceFirst("(?i)\\.png$", "") + ".svg"), EXPORT_WIDTH, EXPORT_HEIGHT, title, subtitle());
        } catch (IOException | RuntimeException e) {
            onExportError.accept(new IOException("could not write " + file + ": " + e.getMessage(), e));
        }
    }

    private static String fileName(Quantity q) {
        return "schedule-" + q.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".png";
    }
}
