package org.diffusionplayground.app.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.ContextMenuEvent;
import javafx.stage.FileChooser;
import org.diffusionplayground.app.AppModel;
import org.diffusionplayground.app.export.Animations;
import org.diffusionplayground.app.export.Exporter;
import org.diffusionplayground.app.forward.ForwardModel;
import org.diffusionplayground.app.imagemodel.Recording;

/**
 * The export commands: the page as a PNG (menu), any panel as a PNG (right-click it), the reverse
 * run and forward noising as an animated GIF with a PNG strip. Snapshots are taken on the FX
 * thread; everything else is the {@link Exporter}'s job.
 */
final class ExportActions {

    private ExportActions() {
    }

    /** The Scenario menu's export items; {@code page} is the node holding the current page. */
    static List<MenuItem> items(AppModel model, Node page) {
        MenuItem png = new MenuItem("Export this page as PNG…");
        png.setId("export-page");
        png.setOnAction(e -> choose(page, "Export the page", pageName(model) + ".png", "PNG image", "*.png")
                .ifPresent(f -> model.exporter().png(SwingFXUtils.fromFXImage(page.snapshot(null, null), null), f)));
        MenuItem reverse = new MenuItem("Export the reverse run as GIF + PNG strip…");
        reverse.setId("export-reverse");
        reverse.setOnAction(e -> {
            Recording run = model.reverse().recording();
            if (run == null || !run.complete()) {
                model.reportError("Exporting the reverse run", new IllegalStateException(
                        "no finished run yet: open the Reverse page and let it sample"));
                return;
            }
            int columns = model.reverse().gridProperty().get();
            choose(page, "Export the reverse run", "reverse-run.gif", "Animated GIF", "*.gif").ifPresent(f -> model.exporter()
                    .animation(f, run.frames(), Animations.reverse(run, columns), () -> Animations.reverseStrip(run, columns), 25));
        });
        MenuItem forward = new MenuItem("Export forward noising as GIF + PNG strip…");
        forward.setId("export-forward");
        forward.setOnAction(e -> {
            ForwardModel f = model.forward();
            float[] x0 = f.cleanProperty().get();
            if (x0 == null) {
                model.reportError("Exporting forward noising", new IllegalStateException("the images are still loading"));
                return;
            }
            float[] eps = f.noise();
            var schedule = f.scheduleProperty().get();
            int columns = f.gridSizeProperty().get();
            choose(page, "Export forward noising", "forward-noising.gif", "Animated GIF", "*.gif").ifPresent(file -> model.exporter()
                    .animation(file, Animations.FORWARD_FRAMES, Animations.forward(x0, eps, schedule, columns, Animations.FORWARD_FRAMES, 3),
                            () -> Animations.forwardStrip(x0, eps, schedule, columns), 10));
        });
        return List.of(png, reverse, forward);
    }

    /** Right-clicking a panel (a card) that has no menu of its own offers to export it as a PNG. */
    static void panelMenus(Node page, AppModel model) {
        page.addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            Node card = e.getPickResult().getIntersectedNode();
            while (card != null && !card.getStyleClass().contains("card")) card = card.getParent();
            if (card == null) return;
            Node panel = card;
            MenuItem item = new MenuItem("Export this panel as PNG…");
            item.setOnAction(a -> choose(page, "Export the panel", pageName(model) + "-panel.png", "PNG image", "*.png")
                    .ifPresent(f -> model.exporter().png(SwingFXUtils.fromFXImage(panel.snapshot(null, null), null), f)));
            new ContextMenu(item).show(panel, e.getScreenX(), e.getScreenY());
            e.consume();
        });
    }

    private static java.util.Optional<Path> choose(Node owner, String title, String name, String kind, String pattern) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        File f = chooser.showSaveDialog(owner.getScene().getWindow());
        return java.util.Optional.ofNullable(f).map(file -> ScenarioMenu.withExtension(file.toPath(), pattern.substring(1)));
    }

    private static String pageName(AppModel model) {
        return model.pageProperty().get().name().toLowerCase(Locale.ROOT);
    }
}
