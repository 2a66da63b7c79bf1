package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar diffusion-playground.jar <command> [options]}. */
@Command(name = "diffusion-playground", mixinStandardHelpOptions = true,
        version = "Diffusion Playground 0.1",
        description = "Diffusion models you can see: sample, train and benchmark.",
        subcommands = {InfoCommand.class, SampleCommand.class, BenchCommand.class, TrainCommand.class, TrainClassifierCommand.class,
                EvalTextCommand.class, OpenCommand.class})
public final class Cli implements Runnable {

    /** Exit code for a bad argument: one line naming it and the valid range. */
    public static final int BAD_ARGUMENT = 2;
    /** Exit code for an I/O failure (a file that exists but cannot be read or written): one line. */
    public static final int IO_ERROR = 1;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(CommandLine.defaultFactory(), out, err, args);
    }

    /** As above, with the commands built by {@code factory} (tests inject models this way). */
    static int run(CommandLine.IFactory factory, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Cli(), factory);
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
            if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + ioMessage(ex));
                return IO_ERROR;
            }
            throw ex;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // one line, not a stack trace; the data sets are checked before this
            err.println("error: out of memory (the Java heap's maximum is %d MB): start Java with a larger -Xmx, e.g. -Xmx%dg"
                    .formatted(Runtime.getRuntime().maxMemory() >> 20, Math.max(2, 2 * ((Runtime.getRuntime().maxMemory() >> 30) + 1))));
            return IO_ERROR;
        }
    }

    /** One line for an I/O failure; file-system exceptions carry only the path as their message. */
    static String ioMessage(Throwable e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String what = f.getReason() != null ? f.getReason()
                    : f.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            return f.getOtherFile() == null ? "%s: %s".formatted(f.getFile(), what)
                    : "cannot move %s to %s: %s".formatted(f.getFile(), f.getOtherFile(), what);
        }
        return e.getMessage();
    }
}
