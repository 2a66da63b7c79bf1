package org.diffusionplayground.app;

import org.diffusionplayground.app.cli.Cli;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.runtime.NativeMemory;
import org.diffusionplayground.model.runtime.QuietConsole;

/**
 * Entry point of {@code diffusion-playground.jar}: with no arguments it opens the app, with a
 * command it runs the CLI. Deliberately not a {@code javafx.application.Application}, so the jar
 * runs from the class path without the JavaFX launcher's module checks, and so the native build
 * is chosen before anything touches ND4J. The app itself runs in a second JVM where it can
 * ({@link Relaunch}): with a class-data-sharing archive and ND4J's environment.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        java.util.OptionalInt child = Relaunch.run(args);
        if (child.isPresent()) System.exit(child.getAsInt());
        NativeBuild.configure();
        NativeMemory.keepFreed();
        QuietConsole.install();
        if (args.length == 0) {
            PlaygroundApp.launchApp(args);
        } else {
            System.exit(Cli.run(args));
        }
    }
}
