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

/** The model picker (shipped model, a checkpoint folder or file) and what is loaded, bound to an {@link ImageModel}. */
public final class ModelPicker extends HBox {

    public ModelPicker(ImageModel images) {
        super(8);
        MenuItem shipped = new MenuItem("mnist-small (shipped)");
        shipped.setOnAction(e -> images.openShipped());
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
        MenuButton picker = new MenuButton("Model", Icons.icon(Icons.FOLDER), shipped, new SeparatorMenuItem(), folder, file);
        picker.setId("model-picker");
        picker.setTooltip(new Tooltip("The shipped model or a checkpoint of your own training run"));
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
}
