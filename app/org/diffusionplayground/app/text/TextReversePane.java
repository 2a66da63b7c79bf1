package org.diffusionplayground.app.text;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.combo;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.label;

import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.TimelineBar;
import org.diffusionplayground.model.sampling.tokens.RevealOrder;
import org.diffusionplayground.model.sampling.tokens.TokenRun;
import org.diffusionplayground.viz.CharacterGridView.State;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.HeatStripView;

/**
 * The text page's reverse half: live settings, the token theatre — a lane per loaded model, masked
 * and uniform side by side — the candidates, the chart, the reveal strip, a timeline.
 */
final class TextReversePane extends BorderPane {

    private final TextReverseModel model;
    private final java.util.function.Consumer<TextProcess> focus;
    // bidirectional bindings hold their ends weakly: keep the adapters alive
    private final ObjectProperty<Integer> steps, topK, block, seed, length;

    /** @param focus puts a process in focus (the page's process) when its lane is clicked */
    TextReversePane(TextReverseModel model, java.util.function.Consumer<TextProcess> focus) {
        this.model = model;
        this.focus = focus;
        steps = model.stepsProperty().asObject();
        topK = model.topKProperty().asObject();
        block = model.blockProperty().asObject();
        seed = model.seedProperty().asObject();
        length = model.lengthProperty().asObject();
        getStyleClass().add("text-reverse");
        setTop(settings());
        setCenter(content());
        setBottom(new TimelineBar(model, model.frameProperty(), model.lastFrameProperty(), model.stepTextProperty(), "text-frame-slider"));
        TimelineBar.animate(model);
    }

    private FlowPane settings() {
        ComboBox<TokenRun.Kind> sampler = new ComboBox<>();
        sampler.setId("text-sampler");
        sampler.setConverter(Cards.converter(k -> switch (k) {
            case ANCESTRAL -> "ancestral (MDLM)";
            case PLANNED -> "planned unmasking";
            case TWEEDIE -> "Tweedie τ-leaping (SEDD)";
            case EULER -> "Euler τ-leaping (SEDD)";
            case AUTOREGRESSIVE -> "left to right (autoregressive)";
        }, ""));
        Runnable choices = () -> {
            boolean masked = model.processProperty().get().absorbing();
            sampler.getItems().setAll(masked ? new TokenRun.Kind[] {TokenRun.Kind.ANCESTRAL, TokenRun.Kind.PLANNED}
                    : new TokenRun.Kind[] {TokenRun.Kind.TWEEDIE, TokenRun.Kind.EULER});
            sampler.setValue(model.samplerProperty().get());
        };
        choices.run();
        model.processProperty().addListener(o -> choices.run());
        sampler.valueProperty().addListener((o, was, is) -> {
            if (is != null) model.samplerProperty().set(is);
        });
        model.samplerProperty().addListener((o, was, is) -> sampler.setValue(is));
        sampler.setTooltip(new Tooltip("Ancestral: MDLM's reverse step (Sahoo et al. 2024). Planned: reveal the best-scored masks first"
                + " (MaskGIT-style). Tweedie / Euler τ-leaping: SEDD's samplers for the uniform process (Lou et al. 2023)"));

        Spinner<Integer> stepCount = spinner("text-steps", 1, TextReverseModel.MAX_STEPS, steps, 80);
        ComboBox<RevealOrder> order = combo(RevealOrder.values(), o -> o.name().toLowerCase(Locale.ROOT));
        order.setId("text-order");
        order.valueProperty().bindBidirectional(model.orderProperty());
        order.setTooltip(new Tooltip("Which masks planned unmasking reveals first: random, most confident (MaskGIT), largest margin"
                + " between the top two, or lowest entropy (Dream)"));
        Node temperature = slider("text-temperature", "τ %.2f", 0, 2, model.temperatureProperty(),
                "Temperature: logits ÷ τ before drawing; 0 = always the most likely character");
        Spinner<Integer> k = spinner("text-top-k", 0, 100, topK, 70);
        k.setTooltip(new Tooltip("Top-k: draw only among the k most likely characters (0 = all)"));
        Node p = slider("text-top-p", "top-p %.2f", 0.05, 1, model.topPProperty(),
                "Top-p (nucleus): draw among the most likely characters until their mass reaches p");
        Node threshold = slider("text-threshold", "thr %.2f", 0, 1, model.thresholdProperty(),
                "Reveal every mask at least this confident, at least one a step; 0 = as many as the schedule says");
        Spinner<Integer> blockLength = spinner("text-block", 0, 1024, block, 80);
        blockLength.setTooltip(new Tooltip("Semi-autoregressive blocks: fill block 1 before block 2, …; 0 = the whole text at once"));
        Node remask = slider("text-remask", "η %.2f", 0, 1, model.remaskProperty(),
                "ReMDM remasking η (Wang et al. 2025): revealed characters may be masked again; 0 = never");
        Spinner<Integer> seedSpinner = spinner("text-seed", 0, Integer.MAX_VALUE, seed, 100);
        Button reseed = new Button("New seed");
        reseed.setId("text-new-seed");
        reseed.setOnAction(e -> model.newSeed());
        javafx.scene.control.CheckBox sideBySide = new javafx.scene.control.CheckBox("Side by side");
        sideBySide.setId("text-side-by-side");
        sideBySide.selectedProperty().bindBidirectional(model.sideBySideProperty());
        sideBySide.setTooltip(new Tooltip("Every loaded model's lane side by side, or only the lane in focus at the full width"
                + " (for a projector); the others keep writing"));
        Spinner<Integer> lengthSpinner = spinner("text-length", 1, 1024, length, 80);
        ComboBox<TextRun.Given> given = combo(TextRun.Given.values(), g -> switch (g) {
            case NONE -> "nothing given";
            case PROMPT -> "prompt";
            case TEMPLATE -> "template (_ = blank)";
        });
        given.setId("text-given");
        given.valueProperty().bindBidirectional(model.givenProperty());
        TextField template = new TextField();
        template.setId("text-template");
        template.setPrefColumnCount(22);
        template.setPromptText("e.g. ROMEO:\\nWhat ____ is ____?");
        template.setTooltip(new Tooltip("A prompt the model continues, or a template whose '_' blanks only it fills; \\n is a line break."
                + " Press Enter to write"));
        template.setOnAction(e -> model.textProperty().set(template.getText().replace("\\n", "\n")));
        // and back: a text set elsewhere (a scenario) shows in the field, its line breaks as \n
        template.setText(model.textProperty().get().replace("\n", "\\n"));
        model.textProperty().addListener((o, was, is) -> {
            if (!is.equals(template.getText().replace("\\n", "\n"))) template.setText(is.replace("\n", "\\n"));
        });
        template.disableProperty().bind(model.givenProperty().isEqualTo(TextRun.Given.NONE));

        BooleanBinding masked = Bindings.createBooleanBinding(() -> model.processProperty().get().absorbing(), model.processProperty());
        BooleanBinding planned = model.samplerProperty().isEqualTo(TokenRun.Kind.PLANNED);
        HBox filterBox = group(temperature, label("top-k", "field-label"), k, p);
        HBox plannedBox = group(label("Order", "field-label"), order, threshold, label("Block", "field-label"), blockLength);
        HBox remaskBox = group(remask);
        shownWhen(filterBox, masked);
        shownWhen(plannedBox, planned);
        shownWhen(remaskBox, model.samplerProperty().isEqualTo(TokenRun.Kind.ANCESTRAL));
        FlowPane bar = new FlowPane(14, 8,
                group(label("Sampler", "field-label"), sampler, label("Steps", "field-label"), stepCount),
                plannedBox, filterBox, remaskBox,
                group(label("Seed", "field-label"), seedSpinner, reseed, label("Length", "field-label"), lengthSpinner, sideBySide),
                group(given, template));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    private static void shownWhen(Node n, javafx.beans.value.ObservableBooleanValue when) {
        n.visibleProperty().bind(when);
        n.managedProperty().bind(n.visibleProperty());
    }

    private static Spinner<Integer> spinner(String id, int min, int max, ObjectProperty<Integer> value, double width) {
        Spinner<Integer> s = new Spinner<>(min, max, value.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(width);
        s.getValueFactory().valueProperty().bindBidirectional(value);
        return s;
    }

    private static Node slider(String id, String format, double min, double max, DoubleProperty value, String tip) {
        Slider s = new Slider(min, max, value.get());
        s.setId(id);
        s.setPrefWidth(90);
        s.setBlockIncrement((max - min) / 20);
        s.valueProperty().bindBidirectional(value);
        s.setTooltip(new Tooltip(tip));
        Label shown = label("", "field-value");
        shown.textProperty().bind(Bindings.format(Locale.ROOT, format, value));
        return group(s, shown);
    }

    private VBox content() {
        HBox lanes = new HBox(12);
        lanes.setId("text-lanes");
        TextLaneView[] views = new TextLaneView[model.lanes().size()];
        for (int i = 0; i < views.length; i++) {
            TextProcess p = i < TextProcess.values().length ? TextProcess.values()[i] : null; // a process's lane is at its ordinal
            views[i] = new TextLaneView(model.lanes().get(i), model, p == null ? new javafx.beans.property.SimpleBooleanProperty()
                    : model.processProperty().isEqualTo(p), () -> {
                        if (p != null) focus.accept(p);
                    });
            lanes.getChildren().add(views[i]);
        }
        lanes.setOnMouseExited(e -> model.hoveredLaneProperty().set(null));
        VBox.setVgrow(lanes, Priority.ALWAYS);
        Label laneNote = label("", "field-note");
        laneNote.setId("text-lane-note");
        laneNote.setWrapText(true);
        laneNote.textProperty().bind(model.laneNoteProperty());
        laneNote.visibleProperty().bind(model.laneNoteProperty().isNotEmpty());
        laneNote.managedProperty().bind(laneNote.visibleProperty());
        Label candidates = label("", "text-candidates");
        candidates.setId("text-candidates");
        candidates.textProperty().bind(model.candidatesTextProperty());
        VBox gridCard = card("The models writing, from one seed", new VBox(8, lanes, laneNote, TextLegend.states(State.MASKED, "masked",
                State.NEW, "revealed this step", State.EARLIER, "revealed earlier (shade: confidence then)",
                State.CHANGED, "changed this step", State.GIVEN, "given by you"), candidates));
        VBox.setVgrow(gridCard, Priority.ALWAYS);

        CurveChart chart = new CurveChart();
        chart.setId("text-chart");
        chart.setXLabel("step");
        chart.curvesProperty().bind(model.curvesProperty());
        chart.markerProperty().bind(model.frameProperty());
        chart.setPrefHeight(110); // the grid gets the height: a class reads it from the back of the room
        chart.setMinHeight(80);
        Tooltip.install(chart, new Tooltip("Per lane, in its colour: the share of positions still masked (masked) or changed by"
                + " each step (uniform)"));
        VBox chartCard = card("Over the run (lane colours)", chart);
        HBox.setHgrow(chartCard, Priority.ALWAYS);
        chartCard.setPrefWidth(300);

        HeatStripView strip = new HeatStripView();
        strip.setId("text-reveal-strip");
        strip.setPrefHeight(30);
        strip.valuesProperty().bind(model.revealOrderProperty());
        Runnable rows = () -> strip.columnsProperty().bind(views[model.processProperty().get().ordinal()].grid().shownColumnsProperty());
        rows.run(); // the strip's rows are the text's rows in the lane in focus
        model.processProperty().addListener(o -> rows.run());
        VBox stripCard = card("", new VBox(6, strip, TextLegend.ramp("first step", "last step")));
        Label stripTitle = (Label) ((HBox) stripCard.getChildren().get(0)).getChildren().get(0);
        stripTitle.textProperty().bind(Bindings.when(model.processProperty().isEqualTo(TextProcess.MASKED))
                .then("When each position was revealed (masked lane)").otherwise("When each position last changed (uniform lane)"));
        HBox.setHgrow(stripCard, Priority.ALWAYS);
        stripCard.setPrefWidth(300);
        HBox below = new HBox(12, chartCard, stripCard);
        VBox content = new VBox(12, gridCard, below);
        content.getStyleClass().add("page-content");
        return content;
    }
}
