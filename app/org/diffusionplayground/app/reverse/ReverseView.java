package org.diffusionplayground.app.reverse;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.combo;
import static org.diffusionplayground.app.shell.Cards.converter;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.growOnly;
import static org.diffusionplayground.app.shell.Cards.label;
import static org.diffusionplayground.app.shell.Cards.readout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.TextFlow;
import org.diffusionplayground.app.imagemodel.ImageModel;
import org.diffusionplayground.app.imagemodel.ModelPicker;
import org.diffusionplayground.app.imagemodel.ReverseRun;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.app.shell.SpacingText;
import org.diffusionplayground.app.shell.TimelineBar;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.viz.ImageGridView;

/** The Reverse page: binds {@link ReverseModel} to a toolbar, the x_t and x̂0 grids, read-outs and a timeline. */
public final class ReverseView extends BorderPane {

    private final ReverseModel model;
    // bidirectional bindings hold their ends weakly: keep the adapters alive
    private final ObjectProperty<Integer> steps;
    private final ObjectProperty<Integer> seed;
    private final ObjectProperty<Integer> grid;
    private final ObjectProperty<Integer> label;

    /** @param images the app's current image model, chosen in the picker at the top */
    public ReverseView(ReverseModel model, ImageModel images) {
        this.model = model;
        this.steps = model.stepsProperty().asObject();
        this.seed = model.seedProperty().asObject();
        this.grid = model.gridProperty().asObject();
        this.label = model.labelProperty().asObject();
        getStyleClass().add("reverse-page");
        setTop(new VBox(new ModelPicker(images), toolbar()));
        setCenter(content());
        setBottom(timeline());
        TimelineBar.animate(model);
        model.start();
    }

    /** Sampler, steps, spacing, η, guidance, class, grid, seed; wraps onto more rows when narrow. */
    private FlowPane toolbar() {
        ComboBox<SamplerKind> sampler = combo(model.samplersProperty().get().toArray(SamplerKind[]::new), SamplerKind::cliName);
        sampler.setId("reverse-sampler");
        // a flow model is offered its own list (the integrators in t, DDIM and DPM-Solver++ through α and σ)
        model.samplersProperty().addListener((o, was, is) -> sampler.getItems().setAll(is));
        sampler.valueProperty().bindBidirectional(model.samplerProperty());
        sampler.setTooltip(new Tooltip(model.samplerProperty().get().citation()));
        model.samplerProperty().addListener((o, was, is) -> sampler.getTooltip().setText(is == null ? "" : is.citation()));
        Spinner<Integer> stepCount = new Spinner<>(1, ReverseModel.MAX_STEPS, model.stepsProperty().get());
        stepCount.setId("reverse-steps");
        stepCount.setEditable(true);
        stepCount.setPrefWidth(90);
        stepCount.getValueFactory().valueProperty().bindBidirectional(steps);
        ComboBox<Spacing> spacing = combo(Spacing.values(), SpacingText::name);
        spacing.setId("reverse-spacing");
        spacing.valueProperty().bindBidirectional(model.spacingProperty());
        SpacingText.install(spacing);
        Slider eta = new Slider(0, 1, 0);
        eta.setId("reverse-eta");
        eta.setPrefWidth(80);
        eta.setBlockIncrement(0.1);
        eta.valueProperty().bindBidirectional(model.etaProperty());
        Label etaValue = label("", "field-label");
        etaValue.textProperty().bind(Bindings.format("η %.1f", model.etaProperty()));
        HBox etaBox = group(eta, etaValue);
        ComboBox<X0Clip> clip = combo(X0Clip.values(), c -> switch (c) {
            case NONE -> "as predicted";
            case STATIC -> "clipped to [−1, 1]";
            case DYNAMIC -> "dynamic threshold";
        });
        clip.setId("reverse-clip");
        clip.setTooltip(new javafx.scene.control.Tooltip("What the sampler does with the model's x̂₀ at every step:"
                + " use it as predicted, clip it to the data range [−1, 1] (DDPM's sampler), or scale each image by its"
                + " 99.5th percentile (Imagen's dynamic thresholding). Helps ε-prediction models most."));
        clip.valueProperty().bindBidirectional(model.clipProperty());
        etaBox.visibleProperty().bind(model.samplerProperty().isEqualTo(SamplerKind.DDIM));
        etaBox.managedProperty().bind(etaBox.visibleProperty());

        Slider guidance = new Slider(0, ReverseModel.MAX_GUIDANCE, model.guidanceProperty().get());
        guidance.setId("reverse-guidance");
        guidance.setPrefWidth(150);
        guidance.setMajorTickUnit(1);
        guidance.setMinorTickCount(9);
        guidance.setBlockIncrement(0.5);
        guidance.setTooltip(new Tooltip("Classifier-free guidance w (Ho & Salimans 2022), 0 to %.0f: 0 unconditional, 1 plain "
                .formatted(ReverseModel.MAX_GUIDANCE) + "conditional, > 1 more like the class; past ~5 the digits saturate"));
        stepCount.setTooltip(new Tooltip("Sampling steps, 1 to %d: the model's schedule has T = %d steps, so more cannot be taken"
                .formatted(ReverseModel.MAX_STEPS, ReverseModel.MAX_STEPS)));
        guidance.valueProperty().bindBidirectional(model.guidanceProperty());
        Label guidanceValue = label("", "field-value");
        guidanceValue.setId("reverse-guidance-value");
        guidanceValue.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "w = %.1f",
                Math.round(model.guidanceProperty().get() * 10) / 10.0), model.guidanceProperty()));
        HBox guidanceBox = group(label("Guidance (0–%.0f)".formatted(ReverseModel.MAX_GUIDANCE), "field-label"), guidance, guidanceValue);
        guidanceBox.disableProperty().bind(model.labelProperty().isEqualTo(ReverseRun.UNCONDITIONAL));

        List<Integer> classes = new ArrayList<>(List.of(ReverseRun.EACH_CLASS, ReverseRun.UNCONDITIONAL));
        IntStream.range(0, 10).forEach(classes::add);
        ComboBox<Integer> classChoice = new ComboBox<>(FXCollections.observableArrayList(classes));
        classChoice.setId("reverse-class");
        classChoice.setConverter(converter(c -> c == ReverseRun.EACH_CLASS ? "each digit 0–9"
                : c == ReverseRun.UNCONDITIONAL ? "unconditional" : "digit " + c, ""));
        classChoice.valueProperty().bindBidirectional(label);
        ComboBox<Integer> gridSize = new ComboBox<>(FXCollections.observableArrayList(
                IntStream.rangeClosed(1, ReverseModel.MAX_GRID).boxed().toList()));
        gridSize.setId("reverse-grid");
        gridSize.setConverter(converter(n -> n + " × " + n, ""));
        gridSize.valueProperty().bindBidirectional(grid);
        Spinner<Integer> seedSpinner = new Spinner<>(0, Integer.MAX_VALUE, model.seedProperty().get());
        seedSpinner.setId("reverse-seed");
        seedSpinner.setEditable(true);
        seedSpinner.setPrefWidth(90);
        seedSpinner.getValueFactory().valueProperty().bindBidirectional(seed);
        Button reseed = Icons.decorate(new Button("New noise"), Icons.DICE, "A new starting noise x_T (next seed)");
        reseed.setId("reverse-new-seed");
        reseed.setOnAction(e -> model.newSeed());

        // small groups, so a narrow window wraps them rather than pushing the page past its right edge
        FlowPane bar = new FlowPane(16, 8,
                group(label("Sampler", "field-label"), sampler),
                group(label("Steps (1–%d)".formatted(ReverseModel.MAX_STEPS), "field-label"), stepCount),
                group(label("Spacing", "field-label"), spacing), etaBox, group(label("x̂₀", "field-label"), clip),
                guidanceBox,
                group(label("Class", "field-label"), classChoice, label("Grid", "field-label"), gridSize),
                group(label("Seed", "field-label"), seedSpinner, reseed));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    /** The two grids side by side, taking the page; below them the read-outs and a note. */
    private VBox content() {
        VBox xCard = gridCard("Images xₜ", "reverse-x-grid", model.xImagesProperty());
        VBox predCard = gridCard("The model's guess x̂₀ of the clean images", "reverse-x0-grid", model.predX0ImagesProperty());
        HBox grids = new HBox(12, xCard, predCard);
        HBox.setHgrow(xCard, Priority.ALWAYS);
        HBox.setHgrow(predCard, Priority.ALWAYS);
        xCard.setPrefWidth(300);
        predCard.setPrefWidth(300);
        VBox.setVgrow(grids, Priority.ALWAYS);

        GridPane readouts = new GridPane();
        readouts.getStyleClass().add("readouts");
        readout(readouts, 0, "Step", "reverse-step", model.stepTextProperty());
        readout(readouts, 1, "t", "reverse-t", model.timeTextProperty());
        readout(readouts, 2, "NFE", "reverse-nfe", model.nfeTextProperty());
        readout(readouts, 3, "Elapsed", "reverse-elapsed", model.elapsedTextProperty());
        ProgressBar progress = new ProgressBar();
        progress.setId("reverse-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(Bindings.when(model.loadingProperty()).then(-1.0).otherwise(model.progressProperty()));
        Label status = label("", "readout-note");
        status.setId("reverse-status");
        status.textProperty().bind(model.statusProperty());
        growOnly(status);
        VBox bars = new VBox(6, progress, status);
        bars.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(bars, Priority.ALWAYS);
        HBox run = new HBox(18, readouts, bars);
        run.setAlignment(Pos.CENTER_LEFT);
        VBox runCard = card("At this step", run);
        runCard.setMinWidth(Region.USE_PREF_SIZE);

        // wraps in whatever width the read-outs leave, growing in height rather than cutting the text. No
        // combining or subscript glyphs (x̂₀, xₜ, ∅): JavaFX's wrapped complex-text layout drew those lines
        // wider than it measured them under Xvfb's fonts, cutting words at the edge and repeating them below
        TextFlow note = Cards.note(Bindings.createStringBinding(() -> NOTE_START
                + (model.familyProperty().get() == PathFamily.FLOW ? NOTE_FLOW : NOTE_DIFFUSION) + NOTE_END,
                model.familyProperty()), "reverse-note");
        TextFlow caveat = Cards.note(model.caveatProperty(), "reverse-caveat");
        caveat.getStyleClass().add("caveat");
        caveat.visibleProperty().bind(model.caveatProperty().isNotEmpty());
        caveat.managedProperty().bind(caveat.visibleProperty());
        VBox noteCard = card("What happens", new VBox(6, note, caveat));
        HBox.setHgrow(noteCard, Priority.ALWAYS);
        noteCard.setMinWidth(0);
        noteCard.setPrefWidth(240);
        HBox below = new HBox(12, runCard, noteCard);
        below.getStyleClass().add("reverse-below");
        // the update that takes this frame to the next, with its numbers: one line each, never wrapped (see the note above)
        Label equation = label("", "equation");
        equation.setId("reverse-equation");
        equation.textProperty().bind(model.equationProperty());
        equation.setMinHeight(Region.USE_PREF_SIZE);
        equation.visibleProperty().bind(model.equationProperty().isNotEmpty());
        equation.managedProperty().bind(equation.visibleProperty());
        VBox content = new VBox(12, grids, equation, below);
        content.getStyleClass().add("page-content");
        return content;
    }

    private static final String NOTE_START = "Left: x_t after each step, from pure noise x_T (step 0) to the samples. ";
    private static final String NOTE_DIFFUSION = "Right: the network's guess of the clean images at that step. "
            + "Guidance w mixes its two outputs as (1 − w)·unconditional + w·conditional, both in one batch of twice the images. ";
    // Lipman et al. 2023, "Flow matching for generative modeling": x0 = x_t − t·u on x_t = (1 − t)·x0 + t·eps
    private static final String NOTE_FLOW = "Right: the flow model's guess of the clean images, x0 = x_t − t·u from its velocity "
            + "u = eps − x0 on the straight path x_t = (1 − t)·x0 + t·eps. Guidance w mixes its two velocities. ";
    private static final String NOTE_END = "Any change restarts from the same x_T; drag the timeline to go back.";

    private VBox gridCard(String title, String id, javafx.beans.value.ObservableValue<float[]> images) {
        ImageGridView view = new ImageGridView();
        view.setId(id);
        view.imagesProperty().bind(images);
        view.columnsProperty().bind(model.gridProperty());
        Label waiting = label("", "chart-placeholder");
        waiting.textProperty().bind(Bindings.createStringBinding(() -> model.loadingProperty().get() ? "loading model…" : "",
                model.loadingProperty()));
        waiting.visibleProperty().bind(Bindings.createBooleanBinding(() -> images.getValue() == null, images));
        StackPane holder = new StackPane(view, waiting);
        VBox.setVgrow(holder, Priority.ALWAYS);
        return card(title, holder);
    }

    private TimelineBar timeline() {
        return new TimelineBar(model, model.frameProperty(), model.lastFrameProperty(), Bindings.createStringBinding(
                () -> model.stepTextProperty().get().isEmpty() ? "" : "step " + model.stepTextProperty().get(),
                model.stepTextProperty()), "reverse-frame-slider");
    }

}
