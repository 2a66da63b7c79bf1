package org.diffusionplayground.app.lab;

import static org.diffusionplayground.app.shell.Cards.card;
import static org.diffusionplayground.app.shell.Cards.combo;
import static org.diffusionplayground.app.shell.Cards.converter;
import static org.diffusionplayground.app.shell.Cards.group;
import static org.diffusionplayground.app.shell.Cards.label;
import static org.diffusionplayground.app.shell.Cards.segmented;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import javafx.scene.control.ToggleButton;
import org.controlsfx.control.SegmentedButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.diffusionplayground.app.Format;
import org.diffusionplayground.app.shell.SpacingText;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.app.shell.TimelineBar;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.PointCloudView;

/** The 2-D lab page: binds {@link LabModel} to a toolbar, the forward cloud or four sampler lanes, the convergence chart and a timeline. */
public final class LabView extends BorderPane {

    private final LabModel model;
    private final ObjectProperty<Integer> steps; // kept: bidirectional bindings are weak
    private final ObjectProperty<Integer> order;

    public LabView(LabModel model) {
        this.model = model;
        this.steps = model.stepsProperty().asObject();
        this.order = model.orderProperty().asObject();
        getStyleClass().add("lab-page");
        setTop(toolbar());
        StackPane centre = new StackPane(forwardContent(), reverseContent());
        setCenter(centre);
        setBottom(new StackPane(forwardTimeline(), reverseTimeline()));
        TimelineBar.animate(model);
        model.start();
    }

    private void showIn(javafx.scene.Node node, LabModel.Mode mode) {
        node.visibleProperty().bind(model.modeProperty().isEqualTo(mode));
        node.managedProperty().bind(node.visibleProperty());
    }

    /** Mode, data, schedule, seed; in reverse mode also steps, spacing, η and views. Wraps when narrow. */
    private FlowPane toolbar() {
        ComboBox<ToyDataset> dataset = combo(ToyDataset.values(), ToyDataset::cliName);
        dataset.setId("lab-dataset");
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        ComboBox<ScheduleKind> schedule = combo(ScheduleKind.values(), ScheduleKind::cliName);
        schedule.setId("lab-schedule");
        schedule.valueProperty().bindBidirectional(model.scheduleProperty());

        SegmentedButton modes = segmented(LabModel.Mode.values(), m -> m == LabModel.Mode.FORWARD ? "Forward" : "Reverse",
                m -> m == LabModel.Mode.FORWARD ? "Data → noise" : "Noise → data, by each sampler", "lab-mode-",
                model.modeProperty());

        Spinner<Integer> stepCount = new Spinner<>(1, LabModel.MAX_STEPS, model.stepsProperty().get());
        stepCount.setId("lab-steps");
        stepCount.setEditable(true);
        stepCount.setPrefWidth(90);
        stepCount.getValueFactory().valueProperty().bindBidirectional(steps);
        ComboBox<Spacing> spacing = combo(Spacing.values(), SpacingText::name);
        spacing.setId("lab-spacing");
        spacing.valueProperty().bindBidirectional(model.spacingProperty());
        SpacingText.install(spacing);
        Slider eta = new Slider(0, 1, 0);
        eta.setId("lab-eta");
        eta.setPrefWidth(90);
        eta.setBlockIncrement(0.1);
        eta.valueProperty().bindBidirectional(model.etaProperty());
        Label etaValue = label("", "field-label");
        etaValue.textProperty().bind(Bindings.format("η %.1f", model.etaProperty()));
        Spinner<Integer> order = new Spinner<>(1, 3, model.orderProperty().get());
        order.setId("lab-order");
        order.setPrefWidth(64);
        order.setTooltip(new javafx.scene.control.Tooltip("DPM-Solver's order (1 = DDIM, 2, 3)"));
        order.getValueFactory().valueProperty().bindBidirectional(this.order);
        ToggleButton predX0 = new ToggleButton("Show x̂₀");
        predX0.setTooltip(new javafx.scene.control.Tooltip("Show each sampler's current estimate of the clean data"));
        predX0.setId("lab-pred-x0");
        predX0.selectedProperty().bindBidirectional(model.showPredX0Property());
        ToggleButton paths = new ToggleButton("Paths");
        paths.setId("lab-paths");
        paths.selectedProperty().bindBidirectional(model.showPathsProperty());
        // small groups straight in the toolbar's flow, so a narrow window wraps them instead of pushing the page past its edge
        List<javafx.scene.Node> reverseControls = List.of(group(label("Steps (1–%d)".formatted(LabModel.MAX_STEPS), "field-label"),
                stepCount), group(label("Spacing", "field-label"), spacing), group(eta, etaValue),
                group(label("DPM-Solver order", "field-label"), order), group(predX0, paths));
        reverseControls.forEach(n -> showIn(n, LabModel.Mode.REVERSE));
        Button reseed = Icons.decorate(new Button("New seed"), Icons.DICE, "New starting noise x_T and data sample");
        reseed.setId("lab-new-seed");
        reseed.setOnAction(e -> model.newSeed());

        FlowPane bar = new FlowPane(14, 8, modes, group(label("Data", "field-label"), dataset),
                group(label("Schedule", "field-label"), schedule, reseed));
        bar.getChildren().addAll(reverseControls);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }

    private HBox forwardContent() {
        PointCloudView cloud = new PointCloudView();
        cloud.setId("lab-forward-cloud");
        cloud.pointsProperty().bind(model.forwardPointsProperty());
        cloud.referenceProperty().bind(Bindings.createObjectBinding(() -> model.dataProperty().get() == null ? null
                : model.dataProperty().get().referenceShown(), model.dataProperty()));
        VBox cloudCard = card("The data, noised to t (faint: the data itself)", cloud);
        HBox.setHgrow(cloudCard, Priority.ALWAYS);

        Label readout = label("", "lab-readout");
        readout.setId("lab-forward-readout");
        readout.textProperty().bind(Bindings.createStringBinding(() -> {
            NoiseSchedule s = model.noiseSchedule();
            double t = (double) model.forwardStepProperty().get() / s.steps();
            return "t = %d / %d%nᾱₜ = %s%nsignal √ᾱₜ = %s%nnoise √(1−ᾱₜ) = %s".formatted(model.forwardStepProperty().get(), s.steps(),
                    Format.number(s.alphaBar(t)), Format.number(s.alpha(t)), Format.number(s.sigma(t)));
        }, model.forwardStepProperty(), model.scheduleProperty()));
        Label note = label("Every point moves along xₜ = √ᾱₜ·x₀ + √(1−ᾱₜ)·ε with its own fixed ε: the cloud "
                + "shrinks towards the origin while the noise spreads it into N(0, I). Samplers run this film backwards.", "field-note");
        note.setWrapText(true);
        VBox side = new VBox(12, card("At this step", readout), card("What happens", note));
        side.getStyleClass().add("side-column");
        HBox content = new HBox(12, cloudCard, side);
        content.getStyleClass().add("page-content");
        showIn(content, LabModel.Mode.FORWARD);
        return content;
    }

    private HBox reverseContent() {
        GridPane lanes = new GridPane();
        lanes.getStyleClass().add("lane-grid");
        for (int i = 0; i < LabModel.LANES; i++) lanes.add(lane(i), i % 2, i / 2);
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            lanes.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < 2; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(50);
            lanes.getRowConstraints().add(rc);
        }
        HBox.setHgrow(lanes, Priority.ALWAYS);
        lanes.setPrefWidth(400); // grows into the free width; its content must not push the chart column

        CurveChart chart = new CurveChart();
        chart.setId("lab-convergence");
        chart.setXLabel("NFE");
        Convergence convergence = model.convergence();
        chart.setYLabel(yLabel(convergence.measureProperty().get()));
        convergence.measureProperty().addListener((o, was, is) -> chart.setYLabel(yLabel(is)));
        chart.logXProperty().set(true);
        chart.logYProperty().set(true);
        chart.curvesProperty().bind(model.convergence().curvesProperty());
        Button compute = Icons.decorate(new Button("Compute"), Icons.PLAY, "Runs every lane's sampler at 5, 10, 20, 50 and 100 steps");
        compute.setId("lab-compute-convergence");
        compute.setOnAction(e -> model.computeConvergence());
        VBox legend = new VBox(4);
        legend.setId("lab-legend");
        Runnable fillLegend = () -> fillLegend(legend);
        fillLegend.run();
        model.convergence().curvesProperty().addListener(o -> fillLegend.run());
        model.convergence().computingProperty().addListener(o -> fillLegend.run());
        Label placeholderText = label("", "chart-placeholder");
        placeholderText.textProperty().bind(Bindings.createStringBinding(() -> convergence.computingProperty().get()
                        ? "Computing the convergence picture…"
                        : convergence.rowsProperty().get().isEmpty() ? "Press Compute to run every lane's sampler at 5–100 steps"
                        : "No deterministic sampler in the lanes: they have no exact ODE solution to compare with",
                convergence.computingProperty(), convergence.rowsProperty()));
        placeholderText.setWrapText(true);
        ProgressBar progress = new ProgressBar();
        progress.setId("lab-convergence-progress");
        progress.progressProperty().bind(convergence.progressProperty());
        progress.visibleProperty().bind(convergence.computingProperty());
        VBox placeholder = new VBox(8, placeholderText, progress);
        placeholder.setAlignment(Pos.CENTER);
        placeholder.visibleProperty().bind(Bindings.createBooleanBinding(() -> convergence.curvesProperty().get().isEmpty(),
                convergence.curvesProperty()));
        chart.visibleProperty().bind(placeholder.visibleProperty().not());
        StackPane plot = new StackPane(chart, placeholder);
        VBox.setVgrow(plot, Priority.ALWAYS);
        VBox chartCard = card("Error against NFE (log–log)", new VBox(8, measureSwitch(convergence), plot), compute);
        VBox.setVgrow(chartCard, Priority.ALWAYS);
        chart.setMinHeight(180); // the chart keeps its height: the note under the legend is cut instead (its tooltip has it all)
        Label reflowStatus = label("", "field-note");
        reflowStatus.setId("lab-reflow-status");
        reflowStatus.textProperty().bind(model.reflowStatusProperty());
        reflowStatus.visibleProperty().bind(Bindings.createBooleanBinding(() -> !model.reflowStatusProperty().get().isEmpty(),
                model.reflowStatusProperty()));
        reflowStatus.managedProperty().bind(reflowStatus.visibleProperty());
        VBox side = new VBox(12, reflowStatus, chartCard, card("Reading it", legend));
        side.getStyleClass().addAll("side-column", "lab-side");
        HBox content = new HBox(12, lanes, side);
        content.getStyleClass().add("page-content");
        showIn(content, LabModel.Mode.REVERSE);
        return content;
    }

    private static String yLabel(Convergence.Measure m) {
        return m == Convergence.Measure.ODE ? "RMS distance to the exact ODE solution" : "SW₂ to the truth";
    }

    /** "vs truth (SW₂)" | "vs exact ODE solution (RMS)". */
    private static SegmentedButton measureSwitch(Convergence convergence) {
        return segmented(Convergence.Measure.values(), Convergence.Measure::label, null, "lab-measure-",
                convergence.measureProperty());
    }

    /** One row per curve: its colour, name, errors at 5…100 steps (and, against the ODE, the measured order). */
    private void fillLegend(VBox legend) {
        legend.getChildren().clear();
        var curves = model.convergence().curvesProperty().get();
        if (curves.isEmpty()) {
            Label wait = label((model.convergence().computingProperty().get() ? "Computing… " : "")
                    + "Each lane's sampler at 5, 10, 20, 50 and 100 steps: its distance to the true distribution "
                    + "against the network evaluations it spent.", "field-note");
            wait.setWrapText(true);
            legend.getChildren().add(wait);
            return;
        }
        boolean ode = model.convergence().measureProperty().get() == Convergence.Measure.ODE;
        for (var c : curves) {
            javafx.scene.layout.Region swatch = new javafx.scene.layout.Region();
            swatch.getStyleClass().addAll("swatch", "swatch-" + c.colour() % 8);
            boolean flat = c.name().equals(Convergence.FLOOR) || c.name().equals(Convergence.REFERENCE_ERROR);
            String values = flat ? Format.number(c.y()[0])
                    : ode ? String.format(java.util.Locale.ROOT, "%.1e → %.1e", c.y()[0], c.y()[c.y().length - 1])
                    : Arrays.stream(c.y()).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v))
                            .reduce((x, y) -> x + " " + y).orElse("");
            // against the ODE the order is the news: it replaces the first and last errors the chart shows anyway
            String text = ode && !flat ? c.name() + "   " + model.convergence().orderText(c.name()) : c.name() + "   " + values;
            Label row = label(text, "legend-row");
            HBox line = new HBox(8, swatch, row);
            line.setAlignment(Pos.CENTER_LEFT);
            legend.getChildren().add(line);
        }
        Label note = label(ode
                ? "Each deterministic sampler against a 500-step DPM-Solver-3 solution of the probability-flow ODE from the "
                        + "same x_T: a slope of −k on these axes is a solver of order k (order ≈ from the last two points). "
                        + "The flat line is how far that solution moves when its steps are halved: no order can be read near it. "
                        + "A point that starts near the boundary between two parts of the data can be carried across by a "
                        + "small step error and end elsewhere (more than two component std away); one such point of 2,000 "
                        + "sets the RMS on its own (0.7 away: 0.016), so then the order is read from the other points "
                        + "(\"on 1,999 of 2,000 points\"); \"order ?\": the error is too close to the exact solution's own. "
                        + "Flow lanes are measured against the exact flow map (the reflowed one against its own ODE: "
                        + "pure integration error, near 0 when its paths are straight). "
                        + "Stochastic samplers (ddpm, euler-maruyama, ddim with η > 0) draw fresh noise and have no exact "
                        + "solution to compare with: see them in the SW₂ view."
                : "Flow lanes (· flow, · reflow) run on the linear interpolant from the same x_T as the diffusion lanes. "
                        + "The floor is exact samples of the data scored the same way; below it, differences are sampling noise. "
                        + "Deterministic samplers level off together: x_T fixes how many points reach each mode. "
                        + "Switch to “vs exact ODE solution” to see each solver's order.",
                "field-note");
        note.setWrapText(true);
        note.setMinHeight(0);
        note.setTooltip(org.diffusionplayground.app.shell.SpacingText.wrapped(note.getText())); // all of it, where the card cuts it
        legend.getChildren().add(note);
    }

    private VBox lane(int i) {
        LaneView view = model.lane(i);
        List<SamplerKind> choices = new ArrayList<>(Arrays.asList(SamplerKind.values()));
        choices.add(0, null);
        ComboBox<SamplerKind> sampler = new ComboBox<>(FXCollections.observableArrayList(choices));
        sampler.setId("lab-sampler-" + i);
        sampler.setConverter(converter(SamplerKind::cliName, "off"));
        sampler.setButtonCell(new javafx.scene.control.ListCell<>() {
            @Override protected void updateItem(SamplerKind k, boolean empty) {
                super.updateItem(k, empty);
                setText(empty ? "" : k == null ? "off" : k.cliName());
            }
        });
        sampler.valueProperty().bindBidirectional(model.samplerProperty(i));
        ComboBox<LaneProcess> process = combo(LaneProcess.values(), LaneProcess::label);
        process.setId("lab-process-" + i);
        process.setTooltip(new javafx.scene.control.Tooltip("What this lane samples: the diffusion model (on the schedule), "
                + "the exact flow of the data (on the linear interpolant, uniform steps in t), or the reflowed flow "
                + "(a small MLP fitted to the exact flow's noise–data pairs: trained here the first time, about half a minute)"));
        process.valueProperty().bindBidirectional(model.processProperty(i));
        process.disableProperty().bind(model.samplerProperty(i).isNull());
        process.setMinWidth(Region.USE_PREF_SIZE);
        Label straight = label("", "lane-time");
        straight.setId("lab-straightness-" + i);
        straight.textProperty().bind(view.straightnessProperty());
        straight.setTooltip(new javafx.scene.control.Tooltip("Every point's path from x_T to its sample: its length over the "
                + "straight line (chord) between its ends, and its mean distance from that line. Straight paths (1 and 0) "
                + "are what reflow aims for: one Euler step then lands exactly (Liu et al. 2023)."));
        Label status = label("", "lane-status");
        status.setId("lab-status-" + i);
        status.textProperty().bind(view.statusProperty());
        PointCloudView cloud = new PointCloudView();
        cloud.setId("lab-cloud-" + i);
        cloud.pointsProperty().bind(view.pointsProperty());
        cloud.pathsProperty().bind(view.pathsProperty());
        cloud.referenceProperty().bind(Bindings.createObjectBinding(() -> model.dataProperty().get() == null ? null
                : model.dataProperty().get().referenceShown(), model.dataProperty()));
        cloud.colourProperty().bind(Bindings.createIntegerBinding(() -> model.samplerProperty(i).get() == null ? 0
                : Convergence.colour(new LabRun.Choice(model.samplerProperty(i).get(), model.processProperty(i).get() == null
                        ? LaneProcess.DIFFUSION : model.processProperty(i).get()).name()), model.samplerProperty(i), model.processProperty(i)));
        Label time = label("", "lane-time");
        time.textProperty().bind(view.timeProperty());
        status.setMinWidth(Region.USE_PREF_SIZE);
        sampler.setMinWidth(Region.USE_PREF_SIZE);
        time.setMinWidth(Region.USE_PREF_SIZE);
        // one flow for the sampler, its distance and its time: it wraps only when the lane is narrow, so the cloud keeps the height
        // its own line under the header, not in it: a flow pane is as wide as its widest child's preferred width,
        // so a long read-out there would widen the lane; here a narrow lane cuts it (its tooltip explains it)
        straight.setMinWidth(0);
        straight.visibleProperty().bind(Bindings.createBooleanBinding(() -> !view.straightnessProperty().get().isEmpty(),
                view.straightnessProperty()));
        straight.managedProperty().bind(straight.visibleProperty()); // no empty line while the lane has no run
        FlowPane header = new FlowPane(12, 4, sampler, process, status, time);
        header.setAlignment(Pos.CENTER_LEFT);
        VBox lane = new VBox(4, header, straight, cloud);
        lane.getStyleClass().add("card");
        VBox.setVgrow(cloud, Priority.ALWAYS);
        cloud.setMinHeight(48); // at 1024×768 with a lesson's note, two header lines and the straightness line the cloud gives way
        return lane;
    }

    private TimelineBar forwardTimeline() {
        TimelineBar bar = new TimelineBar(model, model.forwardStepProperty(), Bindings.createIntegerBinding(
                () -> model.noiseSchedule().steps(), model.scheduleProperty()), Bindings.createStringBinding(
                () -> "t = %d / %d".formatted(model.forwardStepProperty().get(), model.noiseSchedule().steps()),
                model.forwardStepProperty(), model.scheduleProperty()), "lab-forward-slider");
        showIn(bar, LabModel.Mode.FORWARD);
        return bar;
    }

    private TimelineBar reverseTimeline() {
        TimelineBar bar = new TimelineBar(model, model.frameProperty(), model.lastFrameProperty(), Bindings.createStringBinding(
                () -> "step %d / %d".formatted(model.frameProperty().get(), model.lastFrameProperty().get()),
                model.frameProperty(), model.lastFrameProperty()), "lab-frame-slider");
        showIn(bar, LabModel.Mode.REVERSE);
        return bar;
    }

}
