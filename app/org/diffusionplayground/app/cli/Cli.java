package org.diffusionplayground.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar diffusion-playground.jar <command> [options]}. */
@Command(name = "diffusion-playground", mixinStandardHelpOptions = true,
        version = "Diffusion Playground 0.1",
        description = "Diffusion models you can see: sample, train and benchmark.",
        subcommands = {InfoCommand.class, SampleCommand.class, BenchCommand.class, TrainClassifierCommand.class})
public final class Cli implements Runnable {

    /** Exit code for a bad argument: one line naming it and the valid range. */
    public static final int BAD_ARGUMENT = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Cli());
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            return BAD_ARGUMENT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return BAD_ARGUMENT;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
