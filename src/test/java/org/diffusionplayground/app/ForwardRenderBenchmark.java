package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.diffusionplayground.viz.ImageGridView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * How long the Forward page takes to follow the time slider with a 4×4 grid (budget: one 60 Hz
 * frame, 16.7 ms). Prints three figures: the grid's own re-render (x_t for 16 images + pixel
 * write), the whole page's update on the FX thread (x_t, grid, histogram, read-outs, chart
 * cursors), and that update plus a full software render of the window (a snapshot: an upper
 * bound on a real frame). Run with {@code mvn test -Dslow -Dtest=ForwardRenderBenchmark}.
 */
@Tag("slow")
@ExtendWith(ApplicationExtension.class)
class ForwardRenderBenchmark {

    private AppModel model;
    private Scene scene;

    @Start
    void start(Stage stage) {
        model = new AppModel(new TaskJobs(Runnable::run), () -> "benchmark");
        scene = PlaygroundApp.scene(model, 1260, 780);
        stage.setScene(scene);
        stage.show();
        model.start();
    }

    @Test
    void forwardPageFollowsTheSliderWithinOneFrame(FxRobot robot) {
        ImageGridView grid = robot.lookup("#image-grid").queryAs(ImageGridView.class);
        double[] gridOnly = new double[2000], page = new double[2000], frame = new double[200];
        robot.interact(() -> {
            for (int i = 0; i < gridOnly.length; i++) {
                long t0 = System.nanoTime();
                grid.render();
                gridOnly[i] = (System.nanoTime() - t0) / 1e6;
            }
            for (int i = 0; i < page.length; i++) {
                long t0 = System.nanoTime();
                model.forward().stepProperty().set(1 + i % 1000);
                page[i] = (System.nanoTime() - t0) / 1e6;
            }
            for (int i = 0; i < frame.length; i++) {
                long t0 = System.nanoTime();
                model.forward().stepProperty().set(1 + (i * 5) % 1000);
                scene.snapshot(null);
                frame[i] = (System.nanoTime() - t0) / 1e6;
            }
        });
        System.out.printf("4×4 grid re-render:        %s%n", stats(gridOnly));
        System.out.printf("Forward page update:       %s%n", stats(page));
        System.out.printf("update + full window render: %s%n", stats(frame));
        assertTrue(median(page) < 16.7, "page update median " + median(page) + " ms");
    }

    private static String stats(double[] ms) {
        int warm = ms.length / 10; // the first runs include JIT warm-up; report the steady state
        double[] steady = Arrays.copyOfRange(ms, warm, ms.length);
        Arrays.sort(steady);
        return "median %.3f ms, p90 %.3f ms, max %.3f ms (%d runs after %d warm-up)".formatted(
                steady[steady.length / 2], steady[(int) (steady.length * 0.9)], steady[steady.length - 1], steady.length, warm);
    }

    private static double median(double[] ms) {
        double[] s = Arrays.copyOfRange(ms, ms.length / 10, ms.length);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
