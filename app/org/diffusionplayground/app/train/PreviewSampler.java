package org.diffusionplayground.app.train;

import org.diffusionplayground.model.nn.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.ClassChoice;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.SamplerRun;
import org.diffusionplayground.model.sampling.X0Clip;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;

/**
 * The Train page's preview: one sample per class from a run's model file (its EMA weights, as
 * the Trainer writes them with every checkpoint), by {@value #STEPS} DPM-Solver++(2M) steps
 * (Lu et al. 2022) on log-SNR spacing with classifier-free guidance w = {@value #GUIDANCE}
 * (Ho &amp; Salimans 2022). The same x_T every time, so successive previews show the same noise
 * turning into better digits. Runs as an app job, never on the training thread, with ND4J held to
 * one OpenMP thread (see {@link Threads}). That limit is process-wide, and the network's second
 * lane is shared, so the training steps slow down a little during the ~0.5 s a preview takes.
 */
public final class PreviewSampler {

    public static final int STEPS = 10;
    public static final double GUIDANCE = 3;
    static final long SEED = 7;
    private static final SamplerRun RECIPE = new SamplerRun(SamplerKind.DPM_SOLVER_PP, SamplerOptions.defaults(),
            Spacing.LOGSNR, STEPS, GUIDANCE, X0Clip.NONE);

    private PreviewSampler() {
    }

    /** A preview: the step of the weights and the images [classes·28·28] in [−1, 1]. */
    public record Preview(int step, int classes, float[] images) {
    }

    /**
     * Loads a run folder's model (its model.dpck, else its newest checkpoint's EMA weights; see
     * {@link ModelLoader}) or a .dpck file, and samples the preview.
     */
    public static Preview sample(Path runFolderOrFile) throws IOException {
        ModelLoader.Loaded loaded = ModelLoader.open(runFolderOrFile.toString(), Architecture.UNET);
        Denoiser net = loaded.denoiser();
        return new Preview(loaded.step(), Math.max(1, net.numClasses()), sample(net));
    }

    /** One sample of each class 0…K−1 (K ≥ 1; an unconditional model gives one unguided sample). */
    public static float[] sample(Denoiser net) {
        try (Threads single = Threads.limit(1)) {
            int classes = Math.max(1, net.numClasses());
            int[] labels = ClassChoice.labels(ClassChoice.EACH, classes, net.numClasses());
            return RECIPE.run(net, new long[] {classes, 1, 28, 28}, labels, SEED).xFloats();
        }
    }
}
