package org.diffusionplayground.app.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.stage.FileChooser;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.scenario.Lessons;
import org.diffusionplayground.app.scenario.Scenarios;

/**
 * The sidebar's "Scenario" menu: open and save a scenario file, the shipped lessons; and
 * dropping a scenario file on the window opens it.
 */
final class ScenarioMenu {

    static final String EXTENSION = "*.json";

    private ScenarioMenu() {
    }

    static MenuButton button(AppModel model, List<MenuItem> exports) {
        MenuItem open = new MenuItem("Open scenario…");
        open.setId("scenario-open");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        MenuItem save = new MenuItem("Save scenario…");
        save.setId("scenario-save");
        save.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        Menu lessons = new Menu("Lessons");
        lessons.setId("lessons-menu");
        for (Lessons.Entry lesson : Lessons.shipped()) {
            MenuItem item = new MenuItem(lesson.title());
            item.setId("lesson-" + lesson.file().replace(".json", ""));
            item.setOnAction(e -> Lessons.open(model, lesson));
            lessons.getItems().add(item);
        }
        MenuButton button = Icons.decorate(new MenuButton("Scenario"), Icons.SAVE, "Open or save a scenario, open a lesson, export (Ctrl+O, Ctrl+S)");
        button.setId("scenario-menu");
        open.setOnAction(e -> {
            File f = chooser("Open a scenario").showOpenDialog(button.getScene().getWindow());
            if (f != null) Scenarios.open(model, f.toPath());
        });
        save.setOnAction(e -> {
            FileChooser chooser = chooser("Save the scenario");
            chooser.setInitialFileName("scenario.json");
            File f = chooser.showSaveDialog(button.getScene().getWindow());
            if (f != null) Scenarios.save(model, withExtension(f.toPath(), ".json"));
        });
        button.getItems().addAll(open, save, new SeparatorMenuItem(), lessons);
        if (!exports.isEmpty()) {
            button.getItems().add(new SeparatorMenuItem());
            button.getItems().addAll(exports);
        }
        return button;
    }

    /** A file dropped on {@code target} is opened as a scenario. */
    static void acceptDrops(Node target, AppModel model) {
        target.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        target.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            if (!files.isEmpty()) Scenarios.open(model, files.get(0).toPath());
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
    }

    private static FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Scenario (JSON)", EXTENSION));
        return chooser;
    }

    /** {@code file} ending in {@code extension} (a save dialog may leave it off). */
    static Path withExtension(Path file, String extension) {
        String name = file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(extension) ? file : file.resolveSibling(name + extension);
    }
}
