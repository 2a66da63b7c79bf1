package org.diffusionplayground.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory as the kernel counts it (heap, off-heap ND4J buffers and native
 * libraries together), from /proc/self/status. Linux only; elsewhere −1.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Peak resident set size so far (VmHWM), in bytes, or −1. */
    public static long peakRss() {
        return field("VmHWM:");
    }

    /** Current resident set size (VmRSS), in bytes, or −1. */
    public static long rss() {
        return field("VmRSS:");
    }

    /**
     * Minor page faults of the whole process so far (/proc/self/stat), or −1: each is a page of
     * memory touched for the first time since it was mapped, which costs 11–14 µs on the VMs this
     * project is measured on (see {@link NativeMemory}).
     */
    public static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return -1;
        }
        return -1;
    }
}
