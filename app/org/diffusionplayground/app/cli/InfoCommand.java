package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.diffusionplayground.model.runtime.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code info}: versions, backend, native build, threads. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print versions, ND4J backend, native build and threads.")
final class InfoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Backend.describe().forEach((k, v) -> out.printf("%-14s %s%n", k, v));
        return 0;
    }
}
