package org.diffusionplayground.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.diffusionplayground.app.compare.CompareView;
import org.diffusionplayground.app.forward.ForwardView;
import org.diffusionplayground.app.lab.LabView;
import org.diffusionplayground.app.reverse.ReverseView;
import org.diffusionplayground.app.scenario.Scenarios;
import org.diffusionplayground.app.schedules.SchedulesView;
import org.diffusionplayground.app.shell.MainView;
import org.diffusionplayground.app.train.TrainModel;
import org.diffusionplayground.app.train.TrainView;
import org.diffusionplayground.app.text.TextView;
import org.diffusionplayground.model.runtime.Backend;

/**
 * The JavaFX application: one window, shown before anything slow happens; the dataset and ND4J
 * then load as background jobs (the status bar shows the backend when it is known).
 */
public final class PlaygroundApp extends Application {

    public static final String STYLESHEET = "/assets/css/app.css";
    /** System property: when set, the app prints how long the window took to appear and each Reverse run's read-out. */
    public static final String TIMING_PROPERTY = "playground.timing";
    /** {@code -Dplayground.warmup=false}: no background warm-up of the sampler after launch (see {@code ReverseModel#warmUp}). */
    public static final String WARM_UP_PROPERTY = "playground.warmup";

    private ExecutorService executor;
    private TaskJobs jobs;
    private AppModel model;

    public static void launchApp(String[] args) {
        // JFreeChart draws through java.awt classes; the app never opens an AWT window, and a
        // headless AWT starts ~0.25 s faster.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Application.launch(PlaygroundApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        executor = TaskJobs.singleThread();
        jobs = new TaskJobs(executor);
        AppModel model = new AppModel(jobs, Backend::summary);
        this.model = model;
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                Platform.runLater(() -> model.reportError("Something on " + thread.getName(), e)));
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setScene(scene(model, Math.min(1560, screen.getWidth() * 0.94), Math.min(980, screen.getHeight() * 0.94)));
        stage.setTitle("Diffusion Playground");
        stage.setMinWidth(1000);
        stage.setMinHeight(680);
        stage.setFullScreenExitHint("Presentation mode — Esc or F11 to leave");
        model.presentationProperty().addListener((o, was, is) -> stage.setFullScreen(is));
        stage.fullScreenProperty().addListener((o, was, is) -> model.presentationProperty().set(is));
        stage.show();
        if (Boolean.getBoolean(TIMING_PROPERTY)) {
            System.out.printf("window shown %d ms after launch%n", System.currentTimeMillis() - launchedAt());
        }
        model.start();
        if (!"false".equals(System.getProperty(WARM_UP_PROPERTY))) model.reverse().warmUp(jobs::submitted);
        getParameters().getRaw().stream().findFirst().ifPresent(file -> Scenarios.open(model, Path.of(file)));
    }

    /** Epoch milliseconds at which the user started the app: the launcher's JVM when there is one. */
    private static long launchedAt() {
        return Long.getLong(Relaunch.LAUNCHED_PROPERTY, Relaunch.thisJvmStarted());
    }

    /** The scene for {@code model}: the main view with the stylesheet (also used by the UI tests). */
    public static Scene scene(AppModel model, double width, double height) {
        GlyphLayoutRace.hold(); // before any text is laid out: see the class
        MainView view = new MainView(model, page -> pageView(page, model));
        Scene scene = new Scene(view, width, height);
        scene.getStylesheets().add(Objects.requireNonNull(PlaygroundApp.class.getResource(STYLESHEET),
                STYLESHEET + " missing from the class path").toExternalForm());
        return scene;
    }

    private static Node pageView(Page page, AppModel model) {
        return switch (page) {
            case FORWARD -> new ForwardView(model.forward(), model);
            case REVERSE -> new ReverseView(model.reverse(), model.images());
            case COMPARE -> new CompareView(model.compare());
            case SCHEDULES -> new SchedulesView(model.schedules(), e -> model.reportError("Exporting the charts", e));
            case LAB -> new LabView(model.lab());
            case TRAIN -> new TrainView(model.train());
            case TEXT -> new TextView(model.text());
        };
    }

    /** Closing the window stops a training run after its current step and waits for its checkpoint. */
    @Override
    public void stop() {
        if (model != null) model.train().shutdown(TrainModel.SHUTDOWN_WAIT);
        if (executor != null) executor.shutdownNow();
    }
}
