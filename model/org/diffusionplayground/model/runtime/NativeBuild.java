package org.diffusionplayground.model.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses ND4J's native library before ND4J loads. The build ships two CPU libraries per OS
 * (see pom.xml): the portable one and, where it exists, the oneDNN build for AVX2 CPUs, which is
 * 3–7× faster on this project's U-Net (measured on 2-core x86-64 machines). JavaCPP loads the one named by the system property
 * {@code org.bytedeco.javacpp.platform.extension}; this class sets it to {@code -onednn-avx2}
 * when the CPU has AVX2 and that library is on the class path, unless the user set the property
 * (or {@code DP_NATIVE=portable}) themselves. Call {@link #configure()} first thing in main.
 */
public final class NativeBuild {

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String ONEDNN = "-onednn-avx2";

    private NativeBuild() {
    }

    /** Sets the platform extension if appropriate; returns a one-line description of the choice. */
    public static synchronized String configure() {
        String preset = System.getProperty(EXTENSION_PROPERTY);
        if (preset != null) return "native build: " + describe(preset) + " (set by user)";
        if ("portable".equalsIgnoreCase(System.getenv("DP_NATIVE"))) return "native build: portable (DP_NATIVE)";
        if (!hasAvx2()) return "native build: portable (CPU lacks AVX2)";
        if (!onClassPath(ONEDNN)) return "native build: portable (no oneDNN library for this OS)";
        System.setProperty(EXTENSION_PROPERTY, ONEDNN);
        return "native build: oneDNN + AVX2";
    }

    /** The extension in force, as a short label: "oneDNN + AVX2" or "portable". */
    public static String active() {
        return describe(System.getProperty(EXTENSION_PROPERTY, ""));
    }

    private static String describe(String extension) {
        return extension.contains("onednn") ? "oneDNN + AVX2" : extension.isEmpty() ? "portable" : extension;
    }

    private static boolean onClassPath(String extension) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String platform = (os.contains("win") ? "windows" : os.contains("mac") ? "macosx" : "linux")
                + "-x86_64" + extension;
        return NativeBuild.class.getClassLoader()
                .getResource("org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + "/") != null;
    }

    /**
     * AVX2 support: read from /proc/cpuinfo on Linux; on other systems assume an x86-64 CPU from
     * the last decade has it (Haswell, 2013), which is what the oneDNN jar for those OSes targets.
     */
    static boolean hasAvx2() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) return false;
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return true;
        try {
            return Files.readString(cpuinfo).contains(" avx2");
        } catch (IOException e) {
            return false;
        }
    }
}
