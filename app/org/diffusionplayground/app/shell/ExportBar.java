package org.diffusionplayground.app.shell;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import org.diffusionplayground.app.export.Exporter;

/** The status bar's export progress with a Cancel button, shown while an export runs; afterwards what was written. */
final class ExportBar {

    private ExportBar() {
    }

    static HBox create(Exporter exporter) {
        Label what = new Label();
        what.setId("export-status");
        what.textProperty().bind(javafx.beans.binding.Bindings.when(exporter.runningProperty().isEmpty())
                .then(exporter.doneProperty()).otherwise(exporter.runningProperty()));
        ProgressBar bar = new ProgressBar();
        bar.setId("export-progress");
        bar.setPrefWidth(120);
        bar.progressProperty().bind(exporter.progressProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("export-cancel");
        cancel.setOnAction(e -> exporter.cancel());
        for (var n : new javafx.scene.Node[] {bar, cancel}) {
            n.visibleProperty().bind(exporter.runningProperty().isNotEmpty());
            n.managedProperty().bind(n.visibleProperty());
        }
        HBox box = new HBox(8, what, bar, cancel);
        box.setAlignment(Pos.CENTER_LEFT);
        box.visibleProperty().bind(what.textProperty().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }
}
