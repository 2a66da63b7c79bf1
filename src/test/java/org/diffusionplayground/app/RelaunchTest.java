package org.diffusionplayground.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaunchTest {

    @TempDir Path dir;
    Path javaHome;
    Path jar;
    Path cache;

    @BeforeEach
    void setUp() throws IOException {
        javaHome = Path.of(System.getProperty("java.home"));
        jar = Files.writeString(dir.resolve("diffusion-playground.jar"), "jar bytes");
        Files.createDirectories(dir.resolve("lib"));
        cache = dir.resolve("cache");
    }

    private Optional<Relaunch.Plan> plan(List<String> args, Map<String, String> env) throws IOException {
        return Relaunch.plan(javaHome, Optional.of(args), cache, env, 42, 1234);
    }

    @Test
    void firstLaunchDumpsAnArchiveLaterLaunchesMapIt() throws IOException {
        List<String> args = List.of("-Xmx3g", "-jar", jar.toString(), "open", "lesson.json");
        Relaunch.Plan first = plan(args, Map.of()).orElseThrow();
        assertEquals(javaHome.resolve("bin/java").toString(), first.command().get(0));
        assertEquals("-XX:ArchiveClassesAtExit=" + first.dumpTo(), first.command().get(1));
        assertTrue(first.command().contains("-Dplayground.child=true"));
        assertTrue(first.command().contains("-Dplayground.launched=1234"));
        assertEquals(args, first.command().subList(first.command().size() - args.size(), first.command().size()),
                "the user's options, jar and arguments follow ours unchanged");
        assertTrue(first.dumpTo().getFileName().toString().endsWith(".42.part"));

        Files.writeString(first.dumpTo(), "archive");
        Relaunch.keepArchive(first, true);
        assertFalse(Files.exists(first.dumpTo()));
        assertTrue(Files.isRegularFile(first.archive()));

        Relaunch.Plan second = plan(args, Map.of()).orElseThrow();
        assertEquals(first.archive(), second.archive());
        assertNull(second.dumpTo());
        assertEquals("-XX:SharedArchiveFile=" + first.archive(), second.command().get(1));
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldOneGoes() throws IOException {
        List<String> args = List.of("-jar", jar.toString());
        Relaunch.Plan first = plan(args, Map.of()).orElseThrow();
        Files.writeString(first.dumpTo(), "archive");
        Relaunch.keepArchive(first, true);

        Files.writeString(jar, "rebuilt jar bytes");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        Relaunch.Plan rebuilt = plan(args, Map.of()).orElseThrow();
        assertFalse(rebuilt.archive().equals(first.archive()));
        assertTrue(rebuilt.command().get(1).startsWith("-XX:ArchiveClassesAtExit="), "never maps the old build's archive");
        Files.writeString(rebuilt.dumpTo(), "new archive");
        Relaunch.keepArchive(rebuilt, true);
        assertFalse(Files.exists(first.archive()), "the install's stale archive is removed");
        assertTrue(Files.exists(rebuilt.archive()));
    }

    @Test
    void anArchiveTheChildDidNotWriteIsNotKept() throws IOException {
        Relaunch.Plan plan = plan(List.of("-jar", jar.toString()), Map.of()).orElseThrow();
        Files.writeString(plan.dumpTo(), ""); // the app crashed before the JVM wrote it
        Relaunch.keepArchive(plan, true);
        assertFalse(Files.exists(plan.archive()));
        assertFalse(Files.exists(plan.dumpTo()));
    }

    @Test
    void aChildStillWritingWhenStoppedLeavesNoArchiveAndALaterLaunchSweepsIt() throws IOException {
        Relaunch.Plan plan = plan(List.of("-jar", jar.toString()), Map.of()).orElseThrow();
        Files.writeString(plan.dumpTo(), "half an archive");
        Relaunch.keepArchive(plan, false); // the launcher's stop gave up waiting
        assertFalse(Files.exists(plan.archive()), "a partial archive is never mapped");
        assertTrue(Files.exists(plan.dumpTo()), "the child may still be writing it");

        Path running = cache.resolve("app-0123456789abcdef-0123456789abcdef.jsa.7.part");
        Path unrelated = cache.resolve("notes.txt");
        Files.writeString(running, "another instance's archive");
        Files.writeString(unrelated, "x");
        Relaunch.sweep(cache, pid -> pid == 7); // 42 (the plan's launcher) has ended, 7 still runs
        assertFalse(Files.exists(plan.dumpTo()));
        assertTrue(Files.exists(running));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void setsNd4jsEnvironmentUnlessTheUserDid() throws IOException {
        List<String> args = List.of("-jar", jar.toString());
        assertEquals(Map.of("OMP_WAIT_POLICY", "PASSIVE", "MALLOC_ARENA_MAX", "2"), plan(args, Map.of()).orElseThrow().env());
        assertEquals(Map.of("MALLOC_ARENA_MAX", "2"), plan(args, Map.of("OMP_WAIT_POLICY", "ACTIVE")).orElseThrow().env());
    }

    @Test
    void runsInThisJvmWhereARelaunchDoesNotApply() throws IOException {
        assertTrue(Relaunch.plan(javaHome, Optional.empty(), cache, Map.of(), 1, 1).isEmpty(), "the OS reports no command line");
        assertTrue(plan(List.of("-cp", jar.toString(), "org.diffusionplayground.app.Main"), Map.of()).isEmpty(), "not started with -jar");
        assertTrue(plan(List.of("-XX:SharedArchiveFile=/x.jsa", "-jar", jar.toString()), Map.of()).isEmpty(), "the user's own archive");
        assertTrue(plan(List.of("-jar", dir.resolve("missing.jar").toString()), Map.of()).isEmpty());
        assertTrue(Relaunch.plan(dir, Optional.of(List.of("-jar", jar.toString())), cache, Map.of(), 1, 1).isEmpty(),
                "a runtime without bin/java (jlink'd for the installer)");
        assertTrue(Relaunch.opensApp(new String[0]));
        assertTrue(Relaunch.opensApp(new String[] {"open", "f.json"}));
        assertFalse(Relaunch.opensApp(new String[] {"sample", "--n", "4"}), "the CLI runs in the user's JVM");
        assertTrue(Relaunch.hotSpot("OpenJDK 64-Bit Server VM"));
        assertTrue(Relaunch.hotSpot("Java HotSpot(TM) 64-Bit Server VM"));
        assertFalse(Relaunch.hotSpot("Eclipse OpenJ9 VM"), "OpenJ9 might refuse HotSpot's options");
    }
}
