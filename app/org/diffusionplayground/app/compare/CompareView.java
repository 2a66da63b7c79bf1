package org.diffusionplayground.app.compare;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.diffusionplayground.app.imagemodel.Network;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.app.imagemodel.ShippedModels;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.viz.CurveChart;

/**
 * The Compare page: a column per sampler (or, beside the flow model, per model and sampler) with its
 * final images, x̂0 filmstrip, NFE and time, and FID-lite against NFE on demand.
 */
public final class CompareView extends BorderPane {

    private final CompareModel model;
    // bidirectional bindings hold their ends weakly: keep the adapters alive
    private final ObjectProperty<Integer> steps;
    private final ObjectProperty<Integer> label;
    private final ObjectProperty<Integer> qualityDigits;

    public CompareView(CompareModel model) {
        this.model = model;
        this.steps = model.stepsProperty().asObject();
        this.label = model.labelProperty().asObject();
        this.qualityDigits = model.qualityDigitsProperty().asObject();
        getStyleClass().add("compare-page");
        setTop(toolbar());
        VBox card = qualityCard();
        VBox qualityRow = new VBox(card);
        VBox.setVgrow(card, Priority.ALWAYS);
        qualityRow.setPrefHeight(250); // the columns of digits get the rest of the height, the chart a fixed share
        qualityRow.setMinHeight(170);
        qualityRow.getStyleClass().add("page-content");
        VBox centre = new VBox(12, columns(), qualityRow);
        VBox.setVgrow(centre.getChildren().get(0), Priority.ALWAYS);
        centre.getStyleClass().add("compare-centre");
        setCenter(centre);
        model.start();
    }

    private FlowPane toolbar() {
        ComboBox<Comparison> what = Cards.combo(Comparison.values(), Comparison::text);
        what.setId("compare-mode");
        what.valueProperty().bindBidirectional(model.comparisonProperty());
        what.setTooltip(new Tooltip("The samplers on the current model, each at the same number of steps; or the shipped "
                + "diffusion model beside the flow-matching model (flow matching, Lipman et al. 2023), every column from the "
                + "same x_T and at the same number of network evaluations (NFE)"));
        Spinner<Integer> stepCount = new Spinner<>(1, 1000, model.stepsProperty().get());
        stepCount.setId("compare-steps");
        stepCount.setEditable(true);
        stepCount.setPrefWidth(90);
        stepCount.getValueFactory().valueProperty().bindBidirectional(steps);
        Label stepsLabel = label("", "field-label");
        stepsLabel.textProperty().bind(Bindings.createStringBinding(() -> sameNfe() ? "NFE per column (1–1000)" : "Steps (1–1000)",
                model.comparisonProperty()));
        Slider guidance = new Slider(0, 10, model.guidanceProperty().get());
        guidance.setId("compare-guidance");
        guidance.setPrefWidth(150);
        guidance.valueProperty().bindBidirectional(model.guidanceProperty());
        Label guidanceValue = label("", "field-value");
        guidanceValue.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "w = %.1f",
                Math.round(model.guidanceProperty().get() * 10) / 10.0), model.guidanceProperty()));
        List<Integer> classes = new ArrayList<>(List.of(ReverseRun.EACH_CLASS, ReverseRun.UNCONDITIONAL));
        IntStream.range(0, 10).forEach(classes::add);
        ComboBox<Integer> classChoice = new ComboBox<>(FXCollections.observableArrayList(classes));
        classChoice.setId("compare-class");
        classChoice.setConverter(new StringConverter<>() {
            @Override public String toString(Integer c) {
                return c == null ? "" : c == ReverseRun.EACH_CLASS ? "each digit" : c == ReverseRun.UNCONDITIONAL ? "unconditional" : "digit " + c;
            }

            @Override public Integer fromString(String s) { return null; }
        });
        classChoice.valueProperty().bindBidirectional(label);
        Button reseed = Icons.decorate(new Button("New noise"), Icons.DICE, "A new x_T shared by every column");
        reseed.setId("compare-new-seed");
        reseed.setOnAction(e -> model.newSeed());
        ProgressBar progress = new ProgressBar();
        progress.setId("compare-progress");
        progress.progressProperty().bind(model.progressProperty());
        progress.visibleProperty().bind(model.computingProperty());
        Label network = label("", "model-info");
        network.setId("compare-models");
        network.setTooltip(new Tooltip("Beside the flow model, the current model (the Reverse page's picker) takes its side and "
                + "the shipped model of the other kind the other"));
        network.textProperty().bind(Bindings.createStringBinding(this::modelsText, model.networkProperty(), model.modelsProperty(),
                model.comparisonProperty()));
        stepCount.setTooltip(new Tooltip("Sampling steps, 1 to 1000: the schedule has T = 1000 steps, so more cannot be taken. "
                + "Beside the flow model: network evaluations per column, so Euler, DDIM and DPM-Solver++ take that many "
                + "steps and RK4 a quarter of them"));
        guidance.setTooltip(new Tooltip("Classifier-free guidance w (Ho & Salimans 2022), 0 to 10: 0 unconditional, "
                + "1 plain conditional, > 1 more like the class; it applies to every column and to FID-lite"));
        FlowPane bar = new FlowPane(16, 8, group(label("Compare", "field-label"), what), group(stepsLabel, stepCount),
                group(label("Guidance (0–10)", "field-label"), guidance, guidanceValue),
                group(label("Class", "field-label"), classChoice, reseed), progress, network);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    private boolean sameNfe() {
        return model.comparisonProperty().get() == Comparison.DIFFUSION_VS_FLOW;
    }

    /** The model (or the two models) the columns sample. */
    private String modelsText() {
        Network n = model.networkProperty().get();
        if (n == null) return "loading model…";
        if (!sameNfe()) return n.describe() + " (change it on the Reverse page)";
        Map<PathFamily, Network> nets = model.modelsProperty().get();
        return "diffusion: %s · flow: %s".formatted(brief(nets.get(PathFamily.DIFFUSION)), brief(nets.get(PathFamily.FLOW)));
    }

    private static String brief(Network n) {
        return n == null ? "—" : String.format(Locale.ROOT, "%s, step %,d", n.name(), n.step());
    }

    /** FID-lite against NFE, computed on demand. */
    private VBox qualityCard() {
        Quality quality = model.quality();
        CurveChart chart = new CurveChart();
        chart.setId("compare-quality-chart");
        chart.setXLabel("NFE (network evaluations, log scale)");
        chart.setYLabel("FID-lite, log scale (lower is better)");
        chart.logXProperty().set(true);
        chart.logYProperty().set(true); // a 5-step Heun can be 4× worse than the rest
        chart.curvesProperty().bind(quality.curvesProperty());
        chart.setPrefHeight(240);
        Label placeholder = label("", "chart-placeholder");
        placeholder.textProperty().bind(Bindings.createStringBinding(() -> quality.computingProperty().get()
                ? "Sampling %d digits per setting and scoring them with the shipped classifier…".formatted(model.qualityDigitsProperty().get())
                : ("Compute: %s, %d digits each, scored by FID-lite against as many held-out real digits, each value with its "
                        + "spread").formatted(sameNfe() ? "each column at 4, 8 and 20 network evaluations, both models on one chart"
                        : "each sampler at 5, 10 and 20 steps", model.qualityDigitsProperty().get()),
                quality.computingProperty(), model.qualityDigitsProperty(), model.comparisonProperty()));
        placeholder.visibleProperty().bind(Bindings.createBooleanBinding(() -> quality.curvesProperty().get().isEmpty(),
                quality.curvesProperty()));
        chart.visibleProperty().bind(placeholder.visibleProperty().not());
        StackPane plot = new StackPane(chart, placeholder);
        VBox legend = new VBox(4);
        legend.setId("compare-quality-legend");
        quality.legendProperty().addListener((o, was, is) -> {
            legend.getChildren().clear();
            for (Quality.Entry e : is) {
                javafx.scene.layout.Region swatch = new javafx.scene.layout.Region();
                swatch.getStyleClass().addAll("swatch", "swatch-" + e.colour() % 8);
                legend.getChildren().add(group(swatch, label(e.name() + "  " + e.text(), "legend-row")));
            }
        });
        // the verdict (which samplers this cannot rank) first and whole; what ± means in the tooltip of both
        Label note = label("", "field-note");
        note.setId("compare-quality-note");
        note.getStyleClass().add("caveat");
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.textProperty().bind(Bindings.createStringBinding(() -> quality.verdictProperty().get().isEmpty()
                ? "± is each value's spread when the digits are drawn again (hover for more)"
                : quality.verdictProperty().get() + " (hover: what ± is)",
                quality.verdictProperty(), quality.noteProperty()));
        Tooltip whole = new Tooltip();
        whole.setWrapText(true);
        whole.setMaxWidth(480);
        whole.textProperty().bind(quality.noteProperty());
        note.setTooltip(whole);
        Tooltip.install(legend, whole);
        note.visibleProperty().bind(quality.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        legend.setMinHeight(0);
        // the legend and its note beside the chart, not under it: the page has width to spare, not height
        VBox side = new VBox(6, note, legend);
        side.setMinHeight(0);
        javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle(); // legend rows that do not fit are cut, not drawn over the page
        clip.widthProperty().bind(side.widthProperty());
        clip.heightProperty().bind(side.heightProperty());
        side.setClip(clip);
        side.setPrefWidth(430);
        side.setMinWidth(240);
        HBox.setHgrow(plot, Priority.ALWAYS);
        HBox plotAndLegend = new HBox(12, plot, side);
        ProgressBar progress = new ProgressBar();
        progress.setId("compare-quality-progress");
        progress.progressProperty().bind(quality.progressProperty());
        progress.visibleProperty().bind(quality.computingProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        ComboBox<Integer> digits = new ComboBox<>(FXCollections.observableArrayList(Quality.DIGITS));
        digits.setId("compare-quality-digits");
        digits.setConverter(Cards.converter(n -> n + " digits", ""));
        digits.valueProperty().bindBidirectional(qualityDigits);
        digits.setTooltip(new Tooltip("Digits per setting, and as many held-out real digits to compare with. FID-lite is "
                + "biased upward and noisy at small counts: 100 takes about a minute and tells only large differences "
                + "apart; 500 (all the held-out set allows) takes about five and ranks closer ones."));
        digits.disableProperty().bind(quality.computingProperty());
        Button compute = Icons.decorate(new Button("Compute FID-lite"), Icons.PLAY,
                "Runs each column at 5, 10 and 20 steps (beside the flow model: at 4, 8 and 20 network evaluations) at this "
                        + "guidance, in the background; Steps and Class do not change it");
        compute.setId("compare-compute-quality");
        compute.disableProperty().bind(quality.computingProperty());
        compute.setOnAction(e -> model.computeQuality());
        digits.setMinWidth(Region.USE_PREF_SIZE); // on a 1024-pixel window the title gives way, not the controls
        compute.setMinWidth(Region.USE_PREF_SIZE);
        return card("Quality against cost: FID-lite vs NFE", plotAndLegend, progress, digits, compute);
    }

    /** The columns of the current lineup, rebuilt when it changes; the flow model's whereabouts when it is missing. */
    private StackPane columns() {
        HBox row = new HBox(12);
        row.getStyleClass().addAll("page-content", "compare-columns");
        Runnable fill = () -> {
            row.getChildren().clear();
            var lineup = model.contendersProperty().get();
            for (int i = 0; i < lineup.size(); i++) {
                VBox column = CompareColumn.of(model, i, lineup.get(i));
                HBox.setHgrow(column, Priority.ALWAYS);
                column.setPrefWidth(200);
                row.getChildren().add(column);
            }
        };
        fill.run();
        model.contendersProperty().addListener((o, was, is) -> {
            if (!is.equals(was)) fill.run();
        });
        row.visibleProperty().bind(model.unavailableProperty().isEmpty());
        return new StackPane(row, unavailableCard());
    }

    /** Where the flow model comes from, in place of the columns while it is missing; the command can be copied. */
    private VBox unavailableCard() {
        Label why = label("", "field-note");
        why.setId("compare-unavailable");
        why.setWrapText(true);
        why.setMaxWidth(900);
        why.textProperty().bind(model.unavailableProperty());
        TextField command = new TextField(ShippedModels.FLOW_TRAIN_COMMAND);
        command.setId("compare-flow-command");
        command.setEditable(false);
        command.setMaxWidth(900);
        command.setTooltip(new Tooltip("The README's run of the flow model (select and copy); it takes CPU hours"));
        Label back = label("Or compare the samplers on the current model: \"Compare\" above.", "field-note");
        VBox card = card("The flow model is not here yet", new VBox(10, why, command, back));
        card.setMaxHeight(Region.USE_PREF_SIZE);
        card.setMaxWidth(960);
        VBox holder = new VBox(card);
        holder.getStyleClass().add("page-content");
        holder.visibleProperty().bind(model.unavailableProperty().isNotEmpty());
        return holder;
    }
}
