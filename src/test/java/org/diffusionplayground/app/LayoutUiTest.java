package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every page at a projector's 1280×720 and an old laptop's 1024×768, in normal and presentation
 * mode: its key controls lie inside the window (none pushed off the bottom or the right edge) and
 * its main view keeps a minimum size, and presentation mode does not make that view smaller (the
 * side of a square image grid or point cloud, the area of a chart). The
 * jobs never run, so the pages are laid out as they first appear, without computing anything. The
 * read-outs' names are shown whole, and every read-out lies inside its card.
 */
@ExtendWith(ApplicationExtension.class)
class LayoutUiTest {

    /** The controls a class needs on each page, and the main view with its least width and height. */
    private record Expect(List<String> controls, String mainView, double minWidth, double minHeight) {
    }

    private static final Map<Page, Expect> PAGES = Map.of(
            Page.FORWARD, new Expect(List.of("#schedule", "#grid-size", "#class", "#new-images", "#new-noise", "#time-slider",
                    "#time-slider-play"), "#image-grid", 300, 300),
            Page.REVERSE, new Expect(List.of("#reverse-sampler", "#reverse-steps", "#reverse-spacing", "#reverse-guidance",
                    "#reverse-class", "#reverse-seed", "#reverse-frame-slider", "#reverse-frame-slider-play"), "#reverse-x0-grid", 240, 200),
            Page.COMPARE, new Expect(List.of("#compare-mode", "#compare-steps", "#compare-guidance", "#compare-class", "#compare-new-seed",
                    "#compare-compute-quality", "#compare-quality-digits"), "#compare-images-4", 110, 110),
            Page.SCHEDULES, new Expect(List.of("#show-ddpm", "#show-vp", "#step-count", "#spacing-logsnr", "#chart-log-snr",
                    "#chart-beta", "#schedules-export"), "#chart-alpha-bar", 200, 130),
            Page.LAB, new Expect(List.of("#lab-dataset", "#lab-schedule", "#lab-steps", "#lab-spacing", "#lab-compute-convergence",
                    "#lab-frame-slider", "#lab-frame-slider-play", "#lab-cloud-3"), "#lab-cloud-0", 150, 150),
            Page.TRAIN, new Expect(List.of("#train-start", "#train-pause", "#train-stop", "#train-use-model", "#train-dataset"),
                    "#train-loss-chart", 300, 160),
            Page.TEXT, new Expect(List.of("#text-mode-forward", "#text-process-uniform", "#text-open-model", "#text-sampler",
                    "#text-steps", "#text-seed", "#text-length", "#text-given", "#text-template", "#text-frame-slider",
                    "#text-frame-slider-play", "#text-chart", "#text-reveal-strip"), "#text-grid-masked", 300, 100));

    private AppModel model;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = new AppModel(new NeverJobs(), () -> "CPU · test"); // nothing is computed: the pages as laid out before their first results
        stage.setScene(PlaygroundApp.scene(model, 1280, 720));
        stage.show();
    }

    static List<Arguments> pagesAndSizes() {
        List<Arguments> out = new ArrayList<>();
        for (Page p : Page.values()) for (int[] size : new int[][] {{1280, 720}, {1024, 768}}) out.add(Arguments.of(p, size[0], size[1]));
        return out;
    }

    @ParameterizedTest(name = "{0} at {1}×{2}")
    @MethodSource("pagesAndSizes")
    void everyKeyControlLiesInsideTheWindowAndTheMainViewKeepsItsSize(Page page, int width, int height, FxRobot robot) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
            model.pageProperty().set(page);
        });
        Expect expect = PAGES.get(page);
        List<String> problems = new ArrayList<>();
        double[] normal = check(robot, expect, false, problems);
        double[] presenting = check(robot, expect, true, problems);
        // images and point clouds are drawn square: their side is the shorter one; a chart uses its whole area
        boolean square = page != Page.SCHEDULES && page != Page.TRAIN && page != Page.TEXT;
        double before = square ? normal[2] : normal[0] * normal[1], after = square ? presenting[2] : presenting[0] * presenting[1];
        if (after < 0.98 * before) {
            problems.add("presentation shrinks %s from %.0f×%.0f to %.0f×%.0f".formatted(expect.mainView(), normal[0], normal[1],
                    presenting[0], presenting[1]));
        }
        if (page == Page.FORWARD) { // the shifted cosine's shift slider must not wrap the toolbar into the grid's room
            robot.interact(() -> model.forward().scheduleKindProperty().set(org.diffusionplayground.model.schedule.ScheduleKind.COSINE_LOGSNR));
            double[] shifted = check(robot, expect, false, problems);
            if (shifted[2] < 0.97 * normal[2]) {
                problems.add("the shift slider shrinks the grid from %.0f to %.0f".formatted(normal[2], shifted[2]));
            }
        }
        if (page == Page.SCHEDULES) { // the text schedules add a row of charts, which must fit with the rest
            robot.interact(() -> {
                for (var t : org.diffusionplayground.app.schedules.TextSchedule.values()) model.schedules().textProperty(t).set(true);
            });
            List<String> controls = new ArrayList<>(expect.controls());
            controls.addAll(List.of("#show-mdlm", "#show-sedd", "#chart-clean", "#chart-total-noise"));
            for (String main : new String[] {"#chart-alpha-bar", "#chart-clean"}) {
                Expect text = new Expect(controls, main, 200, 90);
                check(robot, text, false, problems);
                check(robot, text, true, problems);
            }
        }
        if (page == Page.TRAIN) { // a text run's form: the process instead of the prediction
            robot.interact(() -> model.train().datasetProperty().set(org.diffusionplayground.app.train.DatasetChoice.SHAKESPEARE));
            List<String> controls = new ArrayList<>(expect.controls());
            controls.addAll(List.of("#train-process", "#train-preset"));
            Expect text = new Expect(controls, expect.mainView(), expect.minWidth(), expect.minHeight());
            check(robot, text, false, problems);
            check(robot, text, true, problems);
        }
        if (page == Page.COMPARE) { // Heun's note at few steps takes a column's room, never the window's
            robot.interact(() -> model.compare().stepsProperty().set(5));
            check(robot, expect, false, problems);
            check(robot, expect, true, problems);
            // beside the flow model the steps' label is longer ("NFE per column"): still one toolbar that fits
            robot.interact(() -> model.compare().comparisonProperty().set(org.diffusionplayground.app.compare.Comparison.DIFFUSION_VS_FLOW));
            check(robot, expect, false, problems);
            check(robot, expect, true, problems);
            robot.interact(() -> model.compare().comparisonProperty().set(org.diffusionplayground.app.compare.Comparison.SAMPLERS));
        }
        assertTrue(problems.isEmpty(), page + " at " + width + "×" + height + ":\n  " + String.join("\n  ", problems));
    }

    /** Checks the page in one mode; returns the main view's width and height. */
    private double[] check(FxRobot robot, Expect expect, boolean presentation, List<String> problems) {
        robot.interact(() -> model.presentationProperty().set(presentation));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> stage.getScene().getRoot().layout());
        String mode = presentation ? "presentation" : "normal";
        double w = stage.getScene().getWidth(), h = stage.getScene().getHeight();
        for (String id : expect.controls()) {
            Node n = robot.lookup(id).query();
            if (n == null) {
                problems.add(mode + ": no " + id);
                continue;
            }
            Bounds b = n.localToScene(n.getLayoutBounds());
            if (!shown(n) || b.getMinX() < -1 || b.getMinY() < -1 || b.getMaxX() > w + 1 || b.getMaxY() > h + 1 || b.getWidth() < 4) {
                problems.add("%s: %s at %.0f,%.0f–%.0f,%.0f in a %.0f×%.0f window%s".formatted(mode, id, b.getMinX(), b.getMinY(),
                        b.getMaxX(), b.getMaxY(), w, h, shown(n) ? "" : " (hidden)"));
            }
        }
        // the page itself ends above the status bar (a page taller than its room would run under it)
        javafx.scene.layout.VBox center = robot.lookup(".center").queryAs(javafx.scene.layout.VBox.class);
        Node pageHolder = center.getChildren().get(center.getChildren().size() - 1);
        Node pageView = ((javafx.scene.Parent) pageHolder).getChildrenUnmodifiable().get(0);
        Bounds pb = pageView.localToScene(pageView.getLayoutBounds());
        Bounds status = robot.lookup(".status-bar").query().localToScene(robot.lookup(".status-bar").query().getLayoutBounds());
        if (pb.getMaxY() > status.getMinY() + 1 || pb.getMaxX() > w + 1) {
            problems.add("%s: the page reaches %.0f,%.0f, past the status bar at y %.0f or the window's width %.0f"
                    .formatted(mode, pb.getMaxX(), pb.getMaxY(), status.getMinY(), w));
        }
        // the read-outs' names are never cut short ("signa…" for "signal √ᾱₜ" on a 1024×768 projector, seen)
        for (Node n : pageView.lookupAll(".readout-name")) {
            javafx.scene.control.Label name = (javafx.scene.control.Label) n;
            if (shown(name) && name.getWidth() + 0.5 < name.prefWidth(-1)) {
                problems.add("%s: the read-out name \"%s\" is cut to %.0f of its %.0f px".formatted(mode, name.getText(),
                        name.getWidth(), name.prefWidth(-1)));
            }
        }
        // and every read-out lies inside its card (the Train page's ETA, Smoothed and Speed fell past its Run card at 1024×768, seen)
        for (Node n : pageView.lookupAll(".readout")) {
            Node card = n.getParent();
            while (card != null && !card.getStyleClass().contains("card")) card = card.getParent();
            if (card == null || !shown(n)) continue;
            Bounds r = n.localToScene(n.getLayoutBounds()), c = card.localToScene(card.getLayoutBounds());
            if (r.getMaxX() > c.getMaxX() + 1 || r.getMaxY() > c.getMaxY() + 1) {
                problems.add("%s: read-out %s ends at %.0f,%.0f, past its card's %.0f,%.0f".formatted(mode, n.getId(), r.getMaxX(),
                        r.getMaxY(), c.getMaxX(), c.getMaxY()));
            }
        }
        Node main = robot.lookup(expect.mainView()).query();
        Bounds b = main.localToScene(main.getLayoutBounds());
        double side = Math.min(b.getWidth(), b.getHeight());
        if (b.getWidth() < expect.minWidth() || b.getHeight() < expect.minHeight() || b.getMaxY() > h + 1 || b.getMaxX() > w + 1) {
            problems.add("%s: %s is %.0f×%.0f at %.0f,%.0f (at least %.0f×%.0f, inside %.0f×%.0f)".formatted(mode, expect.mainView(),
                    b.getWidth(), b.getHeight(), b.getMinX(), b.getMinY(), expect.minWidth(), expect.minHeight(), w, h));
        }
        System.out.printf("layout %s %s %.0fx%.0f: %s %.0fx%.0f%n", model.pageProperty().get(), mode, w, h, expect.mainView(),
                b.getWidth(), b.getHeight());
        return new double[] {b.getWidth(), b.getHeight(), side};
    }

    private static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}
