package org.diffusionplayground.app.text;

import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import org.diffusionplayground.app.shell.Cards;
import org.diffusionplayground.app.shell.Icons;

/** The Text page: the process and half (forward / reverse) at the top, the model in use, and the half shown. */
public final class TextView extends BorderPane {

    public TextView(TextPageModel model) {
        getStyleClass().add("text-page");
        TextForwardPane forward = new TextForwardPane(model.forward());
        TextReversePane reverse = new TextReversePane(model.reverse(), model.processProperty()::set);
        forward.visibleProperty().bind(model.modeProperty().isEqualTo(TextPageModel.Mode.FORWARD));
        reverse.visibleProperty().bind(forward.visibleProperty().not());
        setTop(header(model));
        setCenter(new StackPane(forward, reverse));
        model.start();
    }

    private FlowPane header(TextPageModel model) {
        var mode = Cards.segmented(TextPageModel.Mode.values(), m -> m == TextPageModel.Mode.FORWARD ? "Forward: dissolve" : "Reverse: write",
                m -> m == TextPageModel.Mode.FORWARD ? "Scrub t and watch a passage become masks or random characters"
                        : "The model writes text step by step", "text-mode-", model.modeProperty());
        var process = Cards.segmented(TextProcess.values(), TextProcess::title, p -> p.absorbing()
                ? "Characters become [M] and are revealed once (MDLM, Sahoo et al. 2024)"
                : "Characters are resampled uniformly and keep changing (SEDD, Lou et al. 2023)", "text-process-", model.processProperty());
        Button open = Icons.decorate(new Button("Open model…"), Icons.FOLDER, "A text model's .dpck file of your own training run");
        open.setId("text-open-model");
        open.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Text model (.dpck)");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Diffusion Playground checkpoints", "*.dpck"));
            File f = chooser.showOpenDialog(getScene().getWindow());
            if (f != null) model.open(f.toPath());
        });
        Label info = new Label();
        info.setId("text-model-info");
        info.getStyleClass().add("model-info");
        TextModels m = model.models();
        info.textProperty().bind(Bindings.createStringBinding(() -> {
            if (m.loadingProperty().get()) return "loading…";
            TextNetwork net = m.networkProperty(model.processProperty().get()).get();
            return net == null ? "no " + model.processProperty().get().title().toLowerCase(java.util.Locale.ROOT) + " model" : net.name();
        }, m.loadingProperty(), m.maskedProperty(), m.uniformProperty(), model.processProperty()));
        FlowPane bar = new FlowPane(14, 8, mode, process, Cards.group(open, info));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("toolbar");
        return bar;
    }
}
