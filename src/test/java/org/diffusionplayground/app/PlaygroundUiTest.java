package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionplayground.app.schedules.SchedulesView;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.viz.Curve;
import org.diffusionplayground.viz.CurveChart;
import org.diffusionplayground.viz.ImageGridView;
import org.diffusionplayground.app.lab.LabModel;
import org.diffusionplayground.model.sampling.KnownX0Denoiser;
import org.diffusionplayground.model.eval.SamplerConvergence;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.viz.PointCloudView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real window (headless Monocle): the app's scene with jobs run at once on the FX
 * thread (TaskJobs on a direct executor), so every test starts with the bundled data loaded.
 */
@ExtendWith(ApplicationExtension.class)
class PlaygroundUiTest {

    private AppModel model;
    private KnownX0Denoiser fake;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure(); // the lab loads ND4J
    }

    @Start
    void start(Stage stage) {
        // the Reverse page samples a fake model whose x̂0 follows x_t (known-x̂0 test double), not the U-Net
        fake = new KnownX0Denoiser((label, xt) -> {
            float[] x0 = new float[784];
            for (int i = 0; i < 784; i++) x0[i] = Math.max(-1, Math.min(1, ReverseModelTest.level(label) + 0.5f * xt[i]));
            return x0;
        });
        model = new AppModel(new TaskJobs(Runnable::run), () -> "CPU · test · 2 cores", ReverseModelTest.fakeNetworks(fake));
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds(); // Monocle's headless screen: 1280 × 800
        stage.setScene(PlaygroundApp.scene(model, Math.min(1400, screen.getWidth()), Math.min(880, screen.getHeight())));
        stage.show();
        model.start();
    }

    @Test
    void draggingTheTimeSliderNoisesTheImagesAndReadoutsMatchTheSchedule(FxRobot robot) {
        ImageGridView grid = robot.lookup("#image-grid").queryAs(ImageGridView.class);
        int[] before = pixels(grid);
        robot.drag("#time-slider .thumb").moveBy(300, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        int step = model.forward().stepProperty().get();
        assertTrue(step > 50 && step < 1000, "slider moved to step " + step);
        assertFalse(java.util.Arrays.equals(before, pixels(grid)), "the grid did not change");
        assertReadoutsMatch(robot, NoiseSchedule.ddpm(), step);
        assertEquals("t = %d / 1000".formatted(step), text(robot, ".time-label"));
    }

    @Test
    void keyboardDrivesTheTimeline(FxRobot robot) {
        robot.clickOn("#image-grid");
        robot.type(KeyCode.RIGHT, 3);
        assertEquals(3, model.forward().stepProperty().get());
        robot.press(KeyCode.SHIFT).type(KeyCode.RIGHT).release(KeyCode.SHIFT);
        assertEquals(13, model.forward().stepProperty().get());
        robot.type(KeyCode.END);
        assertEquals(1000, model.forward().stepProperty().get());
        robot.type(KeyCode.LEFT);
        assertEquals(999, model.forward().stepProperty().get());
        robot.type(KeyCode.HOME);
        assertEquals(0, model.forward().stepProperty().get());
        robot.type(KeyCode.SPACE);
        assertTrue(model.forward().playingProperty().get());
        robot.type(KeyCode.SPACE);
        assertFalse(model.forward().playingProperty().get());
    }

    @Test
    void aFocusedSliderOrSpinnerKeepsTheArrowKeysAndAClickOnThePageGivesThemBack(FxRobot robot) {
        robot.clickOn("#schedule").clickOn("Shifted cosine");
        javafx.scene.control.Slider shift = robot.lookup("#shift").queryAs(javafx.scene.control.Slider.class);
        robot.interact(shift::requestFocus);
        double before = shift.getValue();
        robot.type(KeyCode.RIGHT);
        assertEquals(before + 0.5, shift.getValue(), 1e-9, "the slider moved by its block increment");
        assertEquals(0, model.forward().stepProperty().get(), "the timeline did not");
        robot.clickOn("#image-grid"); // the page outside any control
        robot.type(KeyCode.RIGHT);
        assertEquals(1, model.forward().stepProperty().get());
        assertEquals(before + 0.5, shift.getValue(), 1e-9);

        robot.clickOn("#nav-reverse");
        javafx.scene.control.Spinner<?> steps = robot.lookup("#reverse-steps").queryAs(javafx.scene.control.Spinner.class);
        var reverse = model.reverse();
        robot.interact(() -> {
            reverse.playingProperty().set(false);
            reverse.frameProperty().set(3);
            steps.requestFocus();
        });
        robot.type(KeyCode.LEFT).type(KeyCode.HOME).type(KeyCode.SPACE);
        assertEquals(3, reverse.frameProperty().get(), "the spinner's editor kept ←, Home and space");
        assertFalse(reverse.playingProperty().get());
    }

    @Test
    void switchingTheScheduleUpdatesReadoutsAndCharts(FxRobot robot) {
        robot.interact(() -> model.forward().stepProperty().set(500));
        robot.clickOn("#schedule").clickOn("Cosine");
        assertEquals(ScheduleKind.COSINE, model.forward().scheduleKindProperty().get());
        assertReadoutsMatch(robot, NoiseSchedule.cosine(), 500);
        CurveChart snr = robot.lookup("#snr-chart").queryAs(CurveChart.class);
        assertEquals("Cosine", snr.curvesProperty().get().get(0).name());
        assertEquals(500, snr.markerProperty().get(), 0);

        robot.clickOn("#schedule").clickOn("Shifted cosine");
        Node shift = robot.lookup("#shift").query();
        assertTrue(shift.isVisible());
        robot.interact(() -> model.forward().shiftProperty().set(1.5));
        assertReadoutsMatch(robot, NoiseSchedule.shiftedCosine(1.5), 500);
    }

    @Test
    void gridSizeAndClassChangeTheImages(FxRobot robot) {
        robot.clickOn("#grid-size").clickOn("8 × 8");
        assertEquals(64 * 784, model.forward().noisedProperty().get().length);
        robot.clickOn("#class").clickOn("3");
        assertEquals(3, model.forward().chosenClassProperty().get());
        float[] noise = model.forward().noise();
        robot.clickOn("#new-noise");
        assertFalse(java.util.Arrays.equals(noise, model.forward().noise()));
    }

    @Test
    void schedulesPageOverlaysSchedulesAndMarksTheChosenSteps(FxRobot robot, @TempDir Path dir) throws Exception {
        robot.clickOn("#nav-schedules");
        CurveChart alphaBar = robot.lookup("#chart-alpha-bar").queryAs(CurveChart.class);
        assertEquals(2, alphaBar.curvesProperty().get().size());
        assertFalse(robot.lookup("#schedules-overlap").query().isVisible());
        robot.clickOn("#show-vp");
        assertEquals(List.of("DDPM linear", "Cosine", "VP SDE (≈ DDPM linear)"),
                alphaBar.curvesProperty().get().stream().map(Curve::name).toList());
        assertTrue(robot.lookup("#schedules-overlap").query().isVisible());
        assertTrue(text(robot, "#schedules-overlap").startsWith("VP SDE and DDPM linear draw as one curve"),
                text(robot, "#schedules-overlap"));
        robot.clickOn("#spacing-trailing");
        robot.interact(() -> model.schedules().stepCountProperty().set(10));
        assertEquals(10, alphaBar.curvesProperty().get().get(2).markerX().length);
        assertEquals(1.0, alphaBar.curvesProperty().get().get(2).markerX()[0], 1e-12); // trailing starts at T−1
        assertTrue(robot.lookup(".timesteps-list").queryAll().stream()
                .allMatch(l -> ((Label) l).getText().startsWith("999  899  799")));

        robot.moveTo(alphaBar);
        assertTrue(alphaBar.hoverTextProperty().get().contains("DDPM linear: "), alphaBar.hoverTextProperty().get());

        SchedulesView view = robot.lookup(".schedules-page").queryAs(SchedulesView.class);
        robot.interact(() -> view.exportAll(dir.toFile()));
        for (String q : List.of("beta", "alpha-bar", "sigma", "snr", "log-snr")) {
            byte[] png = Files.readAllBytes(dir.resolve("schedule-" + q + ".png"));
            assertTrue(png.length > 5000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', q);
            // and the same chart as SVG: well-formed, one polyline per curve, the markers, its title
            var svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(dir.resolve("schedule-" + q + ".svg").toFile());
            assertEquals(alphaBar.curvesProperty().get().size(), svg.getElementsByTagName("polyline").getLength(), q);
            assertTrue(svg.getElementsByTagName("circle").getLength() >= 10, q + ": the 10 timesteps marked");
            assertTrue(svg.getElementsByTagName("text").item(0).getTextContent().length() > 3, q + ": a title");
        }
        // the export has a title above the plot and a legend below it; the bare chart has neither
        Path bare = dir.resolve("bare.png");
        robot.interact(() -> {
            try {
                alphaBar.exportPng(bare.toFile(), 1200, 800);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var titled = javax.imageio.ImageIO.read(dir.resolve("schedule-alpha-bar.png").toFile());
        var plain = javax.imageio.ImageIO.read(bare.toFile());
        assertTrue(darkPixels(titled, 0, 40) > 200 && darkPixels(plain, 0, 40) < 50,
                "title band: %d vs %d".formatted(darkPixels(titled, 0, 40), darkPixels(plain, 0, 40)));
        assertTrue(darkPixels(titled, 772, 800) > 100 && darkPixels(plain, 772, 800) < 20,
                "legend band: %d vs %d".formatted(darkPixels(titled, 772, 800), darkPixels(plain, 772, 800)));
    }

    /** Pixels darker than mid-grey in rows [from, to) of the middle half of the image's width. */
    private static int darkPixels(java.awt.image.BufferedImage image, int from, int to) {
        int count = 0;
        for (int y = from; y < to; y++) {
            for (int x = image.getWidth() / 4; x < 3 * image.getWidth() / 4; x++) {
                int rgb = image.getRGB(x, y), luma = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
                if (luma < 110) count++;
            }
        }
        return count;
    }

    @Test
    void darkThemeRestylesTheChartsAndPagesSwitchByKeyboard(FxRobot robot) {
        CurveChart chart = robot.lookup("#alpha-bar-chart").queryAs(CurveChart.class);
        var light = chart.chartStyle().background();
        robot.clickOn("#toggle-dark");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".main-view").query().getStyleClass().contains("dark"));
        assertNotEquals(light, chart.chartStyle().background());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT4).release(KeyCode.CONTROL);
        assertEquals(Page.SCHEDULES, model.pageProperty().get());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT1).release(KeyCode.CONTROL);
        assertEquals(Page.FORWARD, model.pageProperty().get());
    }

    @Test
    void aBadDatasetFolderShowsABannerNamingTheFile(FxRobot robot, @TempDir Path dir) throws Exception {
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        robot.interact(() -> model.openDataset(dir));
        assertTrue(robot.lookup("#error-banner").query().isVisible());
        String message = text(robot, "#error-message");
        assertTrue(message.contains("train-images-idx3-ubyte: wrong magic number 2049 (an IDX label file)"), message);
        robot.clickOn("Dismiss");
        assertFalse(robot.lookup("#error-banner").query().isVisible());
        assertEquals("CPU · test · 2 cores", text(robot, "#status-backend"));
    }

    @Test
    void aboutNamesThePaperBehindEachAlgorithm(FxRobot robot) {
        robot.clickOn("#about");
        for (String paper : List.of("Ho, Jain & Abbeel 2020", "Nichol & Dhariwal 2021", "Hoogeboom, Heek & Salimans 2023",
                "Song et al. 2021, “Score-Based", "Lu et al. 2022", "Lin et al. 2024",
                "Ho & Salimans 2022, “Classifier-Free Diffusion Guidance”", "Saharia et al. 2022")) {
            assertFalse(robot.lookup((Label l) -> l.getText().contains(paper)).queryAll().isEmpty(), paper);
        }
        robot.clickOn("Close");
    }

    @Test
    void theLabRunsSamplersToTheEndAndReportsTheirDistanceToTheTruth(FxRobot robot) {
        LabModel lab = model.lab();
        robot.interact(() -> { // two lanes keep the test short
            lab.samplerProperty(0).set(SamplerKind.DDIM);
            lab.samplerProperty(1).set(SamplerKind.DPM_SOLVER_PP);
            lab.samplerProperty(2).set(null);
            lab.samplerProperty(3).set(null);
        });
        robot.clickOn("#nav-lab"); // opening the page samples ring8 and runs both lanes (jobs run at once here)
        robot.clickOn("#lab-cloud-0").type(KeyCode.END);
        assertEquals(20, lab.frameProperty().get());
        assertEquals("step 20 / 20", robot.lookup("#lab-frame-slider").query().getParent()
                .lookupAll(".time-label").stream().map(n -> ((Label) n).getText()).findFirst().orElseThrow());

        // the distance `bench samplers` computes for DDIM, 20 log-SNR steps, ring8, seed 0
        var config = new SamplerConvergence.Config(ToyDataset.RING8, ScheduleKind.DDPM, Spacing.LOGSNR,
                SamplerOptions.defaults(), List.of(new SamplerConvergence.Case(SamplerKind.DDIM, 20)), 2000, 20_000, 256, 0);
        double expected = SamplerConvergence.run(config).get(1).slicedWasserstein();
        assertEquals("SW₂ " + Format.number(expected) + " · NFE 20", text(robot, "#lab-status-0"));
        assertTrue(text(robot, "#lab-status-1").endsWith(" · NFE 20"), text(robot, "#lab-status-1"));
        PointCloudView cloud = robot.lookup("#lab-cloud-0").queryAs(PointCloudView.class);
        assertSame(lab.lanesProperty().get().get(0).x()[20], cloud.pointsProperty().get());
        assertEquals(12, cloud.pathsProperty().get().size());
        CurveChart convergence = robot.lookup("#lab-convergence").queryAs(CurveChart.class);
        assertEquals(List.of("ddim", "dpm-solver++", "exact floor"),
                convergence.curvesProperty().get().stream().map(Curve::name).toList());
        robot.clickOn("#lab-measure-ode"); // the exact-ODE error: the reference's own error as the floor, orders in the legend
        assertEquals(List.of("ddim", "dpm-solver++", "exact solution's own error"),
                convergence.curvesProperty().get().stream().map(Curve::name).toList());
        List<Label> rows = robot.lookup("#lab-legend .legend-row").queryAllAs(Label.class).stream().toList();
        assertTrue(rows.stream().filter(l -> !l.getText().startsWith("exact solution"))
                .allMatch(l -> l.getText().contains("order ≈") || l.getText().contains("order ?")), "legend rows show the order");
        robot.clickOn("#lab-measure-truth");
        assertEquals(3, convergence.curvesProperty().get().size());

        robot.clickOn("#lab-mode-forward");
        robot.type(KeyCode.END);
        assertEquals(1000, lab.forwardStepProperty().get());
        assertTrue(robot.lookup("#lab-forward-cloud").query().isVisible());
    }

    @Test
    void theReversePageSamplesToTheEndShowingEachStepAndRestartsWhenGuidanceChanges(FxRobot robot) {
        robot.clickOn("#nav-reverse"); // loads the (fake) model and runs 20 DPM-Solver++ steps (jobs run at once here)
        var reverse = model.reverse();
        assertEquals("fake (shipped) · step 1,234 · 5,678 parameters", text(robot, "#model-info"));
        assertEquals(20, reverse.lastFrameProperty().get());
        assertEquals("20", text(robot, "#reverse-nfe"), "DPM-Solver++(2M): one evaluation per step");
        assertEquals("20 / 20", text(robot, "#reverse-step"));
        assertTrue(text(robot, "#reverse-status").startsWith("done: 20 steps, NFE 20"), text(robot, "#reverse-status"));
        for (int[] labels : fake.calls()) assertEquals(32, labels.length, "guidance w = 3: 16 images as one batch of 32");
        ImageGridView x0 = robot.lookup("#reverse-x0-grid").queryAs(ImageGridView.class);
        int[] end = pixels(x0);
        robot.clickOn("#reverse-x-grid").type(KeyCode.HOME);
        assertEquals(0, reverse.frameProperty().get());
        assertFalse(java.util.Arrays.equals(end, pixels(x0)), "x̂0 at x_T differs from the final x̂0");
        assertEquals("step 0 / 20", robot.lookup("#reverse-frame-slider").query().getParent()
                .lookupAll(".time-label").stream().map(n -> ((Label) n).getText()).findFirst().orElseThrow());

        var firstXT = reverse.recording().x(0);
        robot.interact(() -> reverse.guidanceProperty().set(1)); // w = 1: the conditional pass alone
        assertEquals(20, reverse.frameProperty().get(), "the new run is followed to its end");
        assertArrayEquals(firstXT, reverse.recording().x(0), "restarted from the same x_T");
        assertEquals(16, fake.calls().get(fake.calls().size() - 1).length);
        assertEquals("w = 1.0", text(robot, "#reverse-guidance-value"));
        assertFalse(robot.lookup("#error-banner").query().isVisible());
    }

    @Test
    void theComparePageShowsEverySamplerFromOneXTWithItsCost(FxRobot robot) {
        robot.clickOn("#nav-compare"); // loads the fake model, runs five samplers × 20 steps on 2 × 2 digits
        var lanes = model.compare().lanesProperty().get();
        assertEquals(5, lanes.size());
        assertTrue(text(robot, "#compare-summary-1").startsWith("NFE 20 · "), text(robot, "#compare-summary-1"));
        assertTrue(text(robot, "#compare-summary-4").matches("NFE \\d+ · .*") && !text(robot, "#compare-summary-4").startsWith("NFE 20 "),
                "heun costs more: " + text(robot, "#compare-summary-4"));
        ImageGridView film = robot.lookup("#compare-film-2").queryAs(ImageGridView.class);
        assertSame(lanes.get(2).filmstrip(), film.imagesProperty().get());
        assertTrue(robot.lookup("#compare-compute-quality").query().isVisible());
        assertFalse(robot.lookup("#compare-note-4").query().isVisible(), "no note on Heun at 20 steps");
        robot.interact(() -> model.compare().stepsProperty().set(5));
        assertTrue(robot.lookup("#compare-note-4").query().isVisible());
        assertTrue(text(robot, "#compare-note-4").startsWith("Heun's own error at 5 steps"), text(robot, "#compare-note-4"));
        assertFalse(robot.lookup("#compare-note-2").query().isVisible(), "dpm-solver++ needs no note");
    }

    private static void assertReadoutsMatch(FxRobot robot, NoiseSchedule s, int step) {
        double t = step / 1000.0;
        assertEquals("%d / 1000".formatted(step), text(robot, "#readout-t"));
        assertEquals(Format.number(s.alphaBar(t)), text(robot, "#readout-alpha-bar"));
        assertEquals(Format.number(s.logSnr(t)), text(robot, "#readout-log-snr"));
        assertEquals(Format.number(s.alpha(t)), text(robot, "#readout-signal"));
        assertEquals(Format.number(s.sigma(t)), text(robot, "#readout-noise"));
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    private static int[] pixels(ImageGridView grid) {
        int[] p = new int[115 * 115];
        for (int y = 0; y < 115; y++) for (int x = 0; x < 115; x++) p[y * 115 + x] = grid.pixelAt(x, y);
        return p;
    }

}
