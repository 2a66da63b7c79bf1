package org.diffusionplayground.model.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.OneDnnConv;
import org.nd4j.linalg.factory.Nd4j;

/** What ND4J runs on: backend, native build, threads — for {@code info} and the status bar. */
public final class Backend {

    private Backend() {
    }

    /** Loads ND4J (about 0.5 s warm, a few seconds on first run) and describes it. */
    public static Map<String, String> describe() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("playground", "0.1");
        info.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        info.put("nd4j", "1.0.0-M2.1");
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = backend();
        info.put("backend", backend);
        info.put("native build", nativeBuild(backend));
        info.put("blas", String.valueOf(env.get("blas.vendor")));
        info.put("convolutions", convolutions());
        info.put("threads", "omp " + env.get("omp.threads") + ", blas " + env.get("blas.threads")
                + ", cores " + Runtime.getRuntime().availableProcessors());
        info.put("max heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        return info;
    }

    /**
     * Whether ND4J runs on the CPU backend — where the hand-written passes run; on a GPU backend
     * the networks run their SameDiff graphs, never CPU kernels with host copies.
     */
    public static boolean cpu() {
        return "CPU".equals(String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend")));
    }

    /**
     * What runs the U-Net's convolutions and their gradients on this backend: oneDNN primitives kept
     * per layer ({@link OneDnnConv}), ND4J's conv2d where those are not available (and why), or the graph.
     */
    public static String convolutions() {
        if (!cpu()) return "SameDiff's graph";
        return OneDnnConv.available() ? "oneDNN 2.5 primitives, one per layer (JavaCPP dnnl)"
                : "ND4J's conv2d (oneDNN primitives " + OneDnnConv.unavailableReason() + ")";
    }

    /**
     * A short label for the status bar, e.g. "CPU · oneDNN + AVX2 · 2 cores": only what it shows, so
     * it does not load oneDNN's own library for {@link #describe}'s convolution line.
     */
    public static String summary() {
        String backend = backend();
        return backend + " · " + nativeBuild(backend) + " · " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static String backend() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName()));
    }

    private static String nativeBuild(String backend) {
        return "CPU".equals(backend) ? NativeBuild.active() : "CUDA";
    }
}
