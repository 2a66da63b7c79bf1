package org.diffusionplayground.app.train;

import org.diffusionplayground.model.nn.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.ClassifierFreeGuidance;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
            Noise noise = new Noise(SEED, DataType.FLOAT);
            INDArray xT = noise.normal(classes, 1, 28, 28); // [K, 1, 28, 28]
            boolean conditional = net.numClasses() > 0 && net.nullClass() >= 0;
            INDArray labels = null;
            Denoiser model = net;
            if (conditional) {
                float[] k = new float[classes];
                for (int i = 0; i < classes; i++) k[i] = i;
                labels = Nd4j.createFromArray(k);
                model = new ClassifierFreeGuidance(net, GUIDANCE);
            }
            double[] times = Spacing.LOGSNR.times(net.schedule(), STEPS);
            INDArray x = SamplingLoop.run(SamplerKind.DPM_SOLVER_PP.create(SamplerOptions.defaults(), noise.split()),
                    new ModelFn(model, labels), xT, times).x();
            return x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
    }
}
