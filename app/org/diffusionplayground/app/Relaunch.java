package org.diffusionplayground.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongPredicate;

/**
 * The launcher behind {@code java -jar diffusion-playground.jar}: the app runs in a second JVM
 * that maps a class-data-sharing archive of the classes it loads before its window appears
 * (dynamic AppCDS, JEP 350: ~3,400 JavaFX, ControlsFX and JFreeChart classes, parsed and
 * verified once instead of at every launch), with ND4J's environment set before its native
 * library loads ({@code OMP_WAIT_POLICY=PASSIVE}, {@code MALLOC_ARENA_MAX=2}, as the installer's
 * launcher sets them; a value already in the environment wins).
 *
 * <p>The first launch writes the archive when the app exits ({@code -XX:ArchiveClassesAtExit},
 * a few seconds after the window closes); later launches map it. The archive is named after the
 * Java runtime and the jar's and libraries' sizes and times, so a rebuilt jar or another JDK
 * writes a new one and never maps a stale one (the JVM checks the class path too, and runs
 * without an archive it cannot use). Anything that stops the relaunch — no {@code bin/java}
 * (a jlink'd runtime), a command line the OS does not report, a VM other than HotSpot, a JVM
 * that will not start —
 * leaves the app to run in this JVM as before; {@code -Dplayground.relaunch=false} asks for that.
 */
final class Relaunch {

    /** Set on the child's command line: the JVM the app runs in. */
    static final String CHILD_PROPERTY = "playground.child";
    /** {@code -Dplayground.relaunch=false}: run the app in the JVM the user started. */
    static final String RELAUNCH_PROPERTY = "playground.relaunch";
    /** Epoch milliseconds at which the user's JVM started (the child reports its window time from it). */
    static final String LAUNCHED_PROPERTY = "playground.launched";
    /** ND4J's settings that must be in the environment before its native library loads. */
    static final Map<String, String> NATIVE_ENV = Map.of("OMP_WAIT_POLICY", "PASSIVE", "MALLOC_ARENA_MAX", "2");

    private Relaunch() {
    }

    /**
     * How the child starts.
     *
     * @param command the child's command line
     * @param env     variables to add to the inherited environment
     * @param dumpTo  where the child writes a new archive at exit (renamed to {@code archive} once
     *                complete), or null when it maps {@code archive}
     */
    record Plan(List<String> command, Map<String, String> env, Path archive, Path dumpTo) {
    }

    /** Whether these CLI arguments open the app (no command, or {@code open FILE}). */
    static boolean opensApp(String[] args) {
        return args.length == 0 || args[0].equals("open");
    }

    /**
     * Runs the app in a child JVM and returns its exit code, or empty when it should run in this
     * JVM (this is the child, the relaunch is turned off or impossible).
     */
    static OptionalInt run(String[] args) {
        if (!opensApp(args) || System.getProperty(CHILD_PROPERTY) != null || !hotSpot(System.getProperty("java.vm.name", ""))
                || "false".equals(System.getProperty(RELAUNCH_PROPERTY))) return OptionalInt.empty();
        Optional<Plan> plan;
        try {
            plan = plan(Path.of(System.getProperty("java.home")), ProcessHandle.current().info().arguments().map(List::of),
                    cacheDir(), System.getenv(), ProcessHandle.current().pid(), thisJvmStarted());
        } catch (RuntimeException | IOException e) {
            return OptionalInt.empty();
        }
        if (plan.isEmpty()) return OptionalInt.empty();
        sweep(plan.get().archive().getParent(), pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Process child;
        try {
            ProcessBuilder pb = new ProcessBuilder(plan.get().command()).inheritIO();
            pb.environment().putAll(plan.get().env());
            child = pb.start();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Thread stopChild = new Thread(() -> keepArchive(plan.get(), stop(child)), "stop the app");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int code = waitFor(child);
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException stopping) {
            // a signal stopped this JVM: the hook ends the child and keeps the archive
        }
        keepArchive(plan.get(), true);
        return OptionalInt.of(code);
    }

    /** Epoch milliseconds at which this JVM started (now, where the OS does not say). */
    static long thisJvmStarted() {
        return ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
    }

    /**
     * The relaunch for a JVM started as {@code java [options] -jar JAR [args]} (as the OS reports
     * its {@code arguments}), or empty where it does not apply: the OS reports no arguments, the
     * app runs from a class path or a native launcher, the user already chose a CDS archive, or
     * the runtime has no {@code bin/java}.
     *
     * @param cache     the folder for archives (created when needed)
     * @param env       the current environment
     * @param launched  epoch milliseconds at which this JVM started
     */
    static Optional<Plan> plan(Path javaHome, Optional<List<String>> arguments, Path cache, Map<String, String> env, long pid,
            long launched) throws IOException {
        Path java = javaHome.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
        if (arguments.isEmpty() || !Files.isExecutable(java)) return Optional.empty();
        List<String> original = arguments.get();
        int jar = original.indexOf("-jar");
        if (jar < 0 || jar + 1 >= original.size()) return Optional.empty();
        for (String a : original.subList(0, jar)) {
            if (a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:ArchiveClassesAtExit") || a.startsWith("-Xshare")) return Optional.empty();
        }
        Path jarFile = Path.of(original.get(jar + 1)).toAbsolutePath();
        if (!Files.isRegularFile(jarFile)) return Optional.empty();
        Path archive = cache.resolve(archiveName(javaHome, jarFile));
        boolean have = Files.isRegularFile(archive) && Files.size(archive) > 0;
        Path dumpTo = have ? null : cache.resolve(archive.getFileName() + "." + pid + ".part");
        if (!have) Files.createDirectories(cache);

        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add(have ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + dumpTo);
        command.add("-Xlog:cds*=off"); // classes CDS cannot keep (pre-Java-6 bytecode) would each print a warning
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-D" + LAUNCHED_PROPERTY + "=" + launched);
        command.addAll(original);

        Map<String, String> add = new java.util.HashMap<>();
        NATIVE_ENV.forEach((k, v) -> {
            if (!env.containsKey(k)) add.put(k, v);
        });
        return Optional.of(new Plan(List.copyOf(command), Map.copyOf(add), archive, dumpTo));
    }

    /**
     * {@code app-<install>-<build>.jsa}: the install is the jar's path; the build is the runtime,
     * the jar's size and time and its {@code lib/} folder's time (a dependency added or removed).
     */
    static String archiveName(Path javaHome, Path jarFile) throws IOException {
        Path lib = jarFile.resolveSibling("lib");
        String build = javaHome + "|" + System.getProperty("java.vm.version") + "|" + Files.size(jarFile) + "|"
                + Files.getLastModifiedTime(jarFile).toMillis() + "|"
                + (Files.isDirectory(lib) ? Files.getLastModifiedTime(lib).toMillis() : 0);
        return "app-" + hash(jarFile.toString()) + "-" + hash(build) + ".jsa";
    }

    /**
     * After the child: a complete new archive replaces this install's older ones. A child that has
     * not {@code ended} (stopped by a signal, still writing its archive after {@link #stop}'s wait)
     * may leave a partial file: it is not kept, and a later launch's {@link #sweep} removes it.
     */
    static synchronized void keepArchive(Plan plan, boolean ended) {
        if (plan.dumpTo() == null || !ended) return;
        try {
            if (!Files.isRegularFile(plan.dumpTo()) || Files.size(plan.dumpTo()) == 0) {
                Files.deleteIfExists(plan.dumpTo());
                return;
            }
            Files.move(plan.dumpTo(), plan.archive(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String install = plan.archive().getFileName().toString().substring(0, "app-".length() + 16);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(plan.archive().getParent(), install + "-*.jsa")) {
                for (Path p : old) {
                    if (!p.equals(plan.archive())) Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the next launch writes it again
        }
    }

    /**
     * Whether this VM takes HotSpot's options ({@code -XX:SharedArchiveFile}, {@code -Xlog}): another
     * VM (OpenJ9) could refuse them and never open the app, so it runs the app in one JVM.
     */
    static boolean hotSpot(String vmName) {
        return vmName.contains("HotSpot") || vmName.startsWith("OpenJDK") && !vmName.contains("J9");
    }

    /** {@code $XDG_CACHE_HOME/diffusion-playground}, else {@code ~/.cache/diffusion-playground}. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("diffusion-playground");
    }

    /** 64-bit FNV-1a, 16 hex digits. */
    static String hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: the app decides when it ends
            }
        }
    }

    /**
     * Removes the archives left half-written in {@code cache}: a {@code .part} file whose launcher
     * (the pid in its name) is no longer {@code alive} was stopped before its child finished (a
     * logout that ends every process at once, on a busy machine). Each is ~45 MB.
     */
    static void sweep(Path cache, LongPredicate alive) {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(cache, "*.part")) {
            for (Path p : parts) {
                String[] name = p.getFileName().toString().split("\\.");
                long pid;
                try {
                    pid = Long.parseLong(name[name.length - 2]);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException notOurs) {
                    continue;
                }
                if (!alive.test(pid)) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // the next launch tries again
        }
    }

    /** This JVM is being stopped (a signal): stop the app too, and give it time to save; whether it ended. */
    private static boolean stop(Process child) {
        child.destroy();
        try {
            return child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
