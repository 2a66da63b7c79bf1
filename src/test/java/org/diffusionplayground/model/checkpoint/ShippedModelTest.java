package org.diffusionplayground.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.diffusionplayground.model.eval.MnistClassifier;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.sampling.ClassifierFreeGuidance;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.sampling.solvers.SamplerOptions;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.sampling.ModelFn;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.sampling.SamplingLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ShippedModelTest {

    static final Path MODEL = Path.of("pretrained/mnist-small.dpck");

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    @Test
    void shippedModelIsTheSmallPresetWithoutTrainingState() throws Exception {
        Checkpoint c = CheckpointFile.read(MODEL);
        assertEquals(UNetConfig.small(), c.model());
        assertNull(c.train());
        assertTrue(c.optimizer().isEmpty() && c.ema().isEmpty());
        UNet net = (UNet) ModelLoader.load(MODEL).net();
        INDArray out = net.predict(new Noise(1).normal(2, 1, 28, 28), 0.5, Nd4j.createFromArray(3, 10));
        assertTrue(Double.isFinite(out.sumNumber().doubleValue()));
    }

    /**
     * The shipped model's promise: every class recognisable at guidance 3 with 20 DPM-Solver++ steps. In the
     * default run since the fast inference pass (≈ 5 s; it took minutes through SameDiff).
     */
    @Test
    void guidedSamplesAreClassifiedAsTheRequestedDigit() throws Exception {
        UNet net = (UNet) ModelLoader.load(MODEL).net();
        MnistClassifier classifier = MnistClassifier.load(Path.of("pretrained/mnist-classifier.sd"));
        int perClass = 10, n = 10 * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        ModelFn model = new ModelFn(new ClassifierFreeGuidance(net, 3), Nd4j.createFromArray(labels));
        INDArray x = SamplingLoop.run(SamplerKind.DPM_SOLVER_PP.create(SamplerOptions.defaults(), new Noise(5)), model,
                new Noise(77).normal(n, 1, 28, 28), Spacing.LOGSNR.times(net.schedule(), 20)).x();
        int[] predicted = classifier.predict(Transforms.min(Transforms.max(x.add(1).div(2), 0), 1));
        int[] correct = new int[10];
        for (int i = 0; i < n; i++) if (predicted[i] == labels[i]) correct[labels[i]]++;
        for (int k = 0; k < 10; k++) {
            assertTrue(correct[k] >= 8, "digit %d: %d of %d classified correctly, all: %s"
                    .formatted(k, correct[k], perClass, java.util.Arrays.toString(correct)));
        }
    }
}
