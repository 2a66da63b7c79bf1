package org.diffusionplayground.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusionplayground.app.PlaygroundApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code open FILE}: the app, showing a scenario or lesson file (what dropping it on the window does). */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Opens the app showing a scenario file (saved with Scenario › Save scenario…, or a lesson).")
final class OpenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario .json file")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("FILE: %s is not a file".formatted(file));
        PlaygroundApp.launchApp(new String[] {file.toAbsolutePath().toString()});
        return 0;
    }
}
