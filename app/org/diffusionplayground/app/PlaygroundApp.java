package org.diffusionplayground.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The JavaFX application: one window. */
public final class PlaygroundApp extends Application {

    public static void launchApp(String[] args) {
        Application.launch(PlaygroundApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setTitle("Diffusion Playground");
        stage.setScene(new Scene(new Label("Diffusion Playground"), 1200, 800));
        stage.show();
    }
}
