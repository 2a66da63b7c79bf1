package org.diffusionplayground.model.runtime;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Threads held to one CPU (Linux {@code sched_setaffinity}, through JNA), for A/B timings whose
 * two sides must run on the same core.
 *
 * <p>Why: the two vCPUs of the VMs this project is measured on do not run at the same speed, and
 * which one is slower changes from minute to minute (measured: the same scalar Python loop pinned
 * to each in turn, 0.10 s on one and 0.19–0.25 s on the other, four times over). Unpinned, each side
 * of a pair ran on whichever vCPU the scheduler gave it; a pair's ratio then read 0.6 or 1.6 by
 * placement alone.
 */
public final class CpuAffinity {

    private CpuAffinity() {
    }

    /** Holds the calling thread, and the threads it starts from now on, to {@code cpu}; false where that cannot be done. */
    public static boolean pinCurrentThread(int cpu) {
        return pin(0, cpu);
    }

    /**
     * {@link #pinCurrentThread} until the returned handle is closed, which gives the calling thread
     * back the CPUs it had (a command run inside a test JVM must not leave its thread on one CPU);
     * null where the thread could not be pinned. Threads started meanwhile stay where they were put.
     */
    public static Pin pinUntilClosed(int cpu) {
        long[] before = new long[16];
        if (!Platform.isLinux() || call("sched_getaffinity", 0, before) != 0 || !pinCurrentThread(cpu)) return null;
        return new Pin(before);
    }

    /** The calling thread's CPUs before {@link #pinUntilClosed}; closing restores them (from the same thread). */
    public static final class Pin implements AutoCloseable {
        private final long[] before;

        private Pin(long[] before) {
            this.before = before;
        }

        @Override
        public void close() {
            call("sched_setaffinity", 0, before);
        }
    }

    /** Holds every thread of process {@code pid} (and those it starts later) to {@code cpu}; false where any could not be. */
    public static boolean pinProcess(long pid, int cpu) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.map(t -> pin(Long.parseLong(t.getFileName().toString()), cpu)).reduce(true, Boolean::logicalAnd);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The CPUs the calling thread may run on, as Linux numbers them (e.g. "0" or "0-1"), or "" off Linux. */
    public static String allowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "";
    }

    private static boolean pin(long tid, int cpu) {
        if (!Platform.isLinux() || cpu < 0 || cpu >= 1024) return false;
        long[] mask = new long[16]; // a cpu_set_t: 1,024 bits
        mask[cpu / 64] = 1L << (cpu % 64);
        return call("sched_setaffinity", tid, mask) == 0;
    }

    /** sched_setaffinity or sched_getaffinity(tid, sizeof mask, mask): 0 on success. */
    private static int call(String function, long tid, long[] mask) {
        return Libc.call(function, (int) tid, (long) mask.length * Long.BYTES, mask);
    }
}
