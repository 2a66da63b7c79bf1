package org.diffusionplayground.model.checkpoint;

import org.diffusionplayground.model.train.RunFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionplayground.model.nn.unet.UNet;
import org.diffusionplayground.model.nn.unet.UNetConfig;
import org.diffusionplayground.model.runtime.NativeBuild;
import org.diffusionplayground.model.schedule.Parameterization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Which file a run folder, a .dpck path or a pretrained name opens, and that its EMA weights are the ones used. */
class ModelLoaderTest {

    /** A tiny U-Net (4 channels) so the test builds and runs it in well under a second. */
    static final UNetConfig TINY = new UNetConfig(4, 4, 4, 2, false, 10, Parameterization.EPS, "linear");

    @TempDir Path dir;

    @BeforeAll
    static void nativeBuild() {
        NativeBuild.configure();
    }

    /** A checkpoint whose EMA weights are its weights + offset, so the two are told apart. */
    private static Checkpoint checkpoint(int step, double emaOffset) {
        Map<String, INDArray> weights = UNet.create(TINY, step).weights(), copy = new LinkedHashMap<>(), ema = new LinkedHashMap<>();
        weights.forEach((k, v) -> {
            copy.put(k, v.dup());
            ema.put(k, v.add(emaOffset));
        });
        return new Checkpoint(TINY, null, step, 0.1, copy, ema, Map.of());
    }

    private static void assertWeightsEqual(Map<String, INDArray> expected, UNet net) {
        Map<String, INDArray> actual = net.weights();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), k));
    }

    @Test
    void runFolderPrefersModelFileThenNewestCheckpointAndUsesEmaWeights() throws IOException {
        RunFolder run = new RunFolder(dir);
        Checkpoint old = checkpoint(200, 0.5), newest = checkpoint(400, 0.25);
        CheckpointFile.write(old, run.checkpointFile(200));
        CheckpointFile.write(newest, run.checkpointFile(400));
        assertEquals(run.checkpointFile(400), ModelLoader.resolve(dir.toString()).orElseThrow());
        ModelLoader.Loaded fromCheckpoint = ModelLoader.open(dir.toString());
        assertEquals(400, fromCheckpoint.step());
        assertWeightsEqual(newest.ema(), (UNet) fromCheckpoint.net());

        CheckpointFile.write(old.asModel(), run.modelFile());
        assertEquals(run.modelFile(), ModelLoader.resolve(dir.toString()).orElseThrow());
        ModelLoader.Loaded fromModel = ModelLoader.open(dir.toString());
        assertEquals(200, fromModel.step());
        assertWeightsEqual(old.ema(), (UNet) fromModel.net());
        assertEquals(10, fromModel.denoiser().numClasses());
    }

    @Test
    void aDpckFileLoadsDirectly() throws IOException {
        Path file = dir.resolve("some-model.dpck");
        Checkpoint c = checkpoint(7, 0.0);
        CheckpointFile.write(c.asModel(), file);
        ModelLoader.Loaded loaded = ModelLoader.open(file.toString());
        assertEquals(file, loaded.file());
        INDArray x = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 28, 28);
        assertEquals(UNet.withWeights(TINY, c.ema()).predict(x, 0.5, null), loaded.denoiser().predict(x, 0.5, null));
    }

    @Test
    void anUnknownNameIsEmptyAndSaysWhereItLooked() throws IOException {
        assertTrue(ModelLoader.resolve("mnist-no-such-model").isEmpty());
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelLoader.open("mnist-no-such-model"));
        assertTrue(e.getMessage().contains("pretrained/mnist-no-such-model.dpck"), e.getMessage());
        assertTrue(ModelLoader.resolve("../escape").isEmpty(), "names never leave pretrained/");
    }

    @Test
    void aFolderWithoutCheckpointsAndATruncatedFileAreCheckpointErrorsNamingTheFile() throws IOException {
        CheckpointException empty = assertThrows(CheckpointException.class, () -> ModelLoader.resolve(dir.toString()));
        assertTrue(empty.getMessage().startsWith(dir + " is a folder without model.dpck"), empty.getMessage());
        Path file = dir.resolve("cut.dpck");
        CheckpointFile.write(checkpoint(1, 0).asModel(), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException cut = assertThrows(CheckpointException.class, () -> ModelLoader.load(file));
        assertTrue(cut.getMessage().startsWith(file + " is truncated"), cut.getMessage());
    }
}
