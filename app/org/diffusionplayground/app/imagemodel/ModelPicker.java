package org.diffusionplayground.app.imagemodel;

import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.diffusionplayground.app.shell.Icons;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * The model picker (the shipped diffusion model, the shipped flow model when it is there, a
 * checkpoint folder or file) and what is loaded, bound to an {@link ImageModel}.
 */
public final class ModelPicker extends HBox {

    public ModelPicker(ImageModel images) {
        super(8);
        MenuItem shipped = new MenuItem(ShippedModels.name(PathFamily.DIFFUSION) + " — diffusion (shipped)");
        shipped.setId("model-shipped-diffusion");
        shipped.setOnAction(e -> images.openShipped(PathFamily.DIFFUSION));
        MenuItem flow = new MenuItem();
        flow.setId("model-shipped-flow");
        flow.setOnAction(e -> images.openShipped(PathFamily.FLOW));
        MenuItem folder = new MenuItem("Open checkpoint folder…");
        folder.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Training run folder (model.dpck or ckpt-NNNNNNN.dpck)");
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) images.open(dir.toPath());
        });
        MenuItem file = new MenuItem("Open checkpoint file…");
        file.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Checkpoint or model file");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Diffusion Playground checkpoints", "*.dpck"));
            File f = chooser.showOpenDialog(getScene().getWindow());
            if (f != null) images.open(f.toPath());
        });
        MenuButton picker = new MenuButton("Model", Icons.icon(Icons.FOLDER), shipped, flow, new SeparatorMenuItem(), folder, file);
        picker.setId("model-picker");
        picker.setTooltip(new Tooltip("A shipped model (diffusion, or flow matching once trained) or a checkpoint of your own"
                + " training run: a flow checkpoint (train --objective flow) samples with the flow integrators"));
        // asked each time the menu opens: the flow model may have been copied to pretrained/ since
        picker.setOnShowing(e -> showFlowItem(flow, images.ships(PathFamily.FLOW)));
        showFlowItem(flow, images.ships(PathFamily.FLOW));
        Label info = new Label();
        info.getStyleClass().add("model-info");
        info.setId("model-info");
        info.textProperty().bind(Bindings.createStringBinding(() -> {
            Network n = images.networkProperty().get();
            if (images.loadingProperty().get()) return n == null ? "loading model…" : "loading model… (still showing " + n.name() + ")";
            return n == null ? "no model loaded" : n.describe();
        }, images.networkProperty(), images.loadingProperty()));
        getChildren().addAll(picker, info);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("toolbar");
    }

    /** Offers the shipped flow model, or says (disabled) that it is not trained yet and where to read how. */
    static void showFlowItem(MenuItem flow, boolean present) {
        flow.setText(present ? ShippedModels.name(PathFamily.FLOW) + " — flow matching (shipped)"
                : ShippedModels.name(PathFamily.FLOW) + " — flow matching: not trained yet (README, \"The MNIST flow model\")");
        flow.setDisable(!present);
    }
}
