package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.objective.MaskedDiffusion;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text model on the same core: the DDiT trained by the same {@link Trainer} on the
 * {@link MaskedDiffusion} objective, checkpointed, and resumed bit for bit.
 */
@ExtendWith(SingleThreadNd4j.class)
class MaskedTransformerTrainingTest {

    @TempDir Path dir;

    @Test
    void trainsCheckpointsAndResumesBitForBit() throws Exception {
        TransformerConfig model = TransformerConfig.preset("tiny", 65);
        MaskedDiffusion objective = new MaskedDiffusion(model.maskingSchedule(), TextCorpus.shakespeare(), model.length());
        TrainConfig config = new TrainConfig(6, 4, 3e-3, 2, 0.0, 0.99, 0.0, 0.0, 3, 1.0, 9);
        Path whole = dir.resolve("whole"), resumed = dir.resolve("resumed");

        Trainer run = Trainer.fresh(model, objective, config, whole);
        List<Double> expected = new ArrayList<>();
        run.addListener(s -> expected.add(s.loss()));
        assertEquals(TrainOutcome.Status.COMPLETED, run.run().status());
        // at the zero-initialised output the bound is ln 65 per character in expectation
        assertTrue(expected.get(0) > 2 && expected.get(0) < 8, "first loss " + expected.get(0));

        Checkpoint at3 = CheckpointFile.read(new RunFolder(whole).checkpointFile(3));
        assertEquals(Architecture.TRANSFORMER, at3.model().architecture());
        assertEquals(model, at3.model(), "the config comes back from the file");
        Trainer again = Trainer.resume(at3, objective, resumed, 6);
        List<Double> actual = new ArrayList<>();
        again.addListener(s -> actual.add(s.loss()));
        again.run();
        assertEquals(expected.subList(3, 6), actual);
        Checkpoint a = CheckpointFile.read(new RunFolder(whole).checkpointFile(6));
        Checkpoint b = CheckpointFile.read(new RunFolder(resumed).checkpointFile(6));
        for (String name : a.weights().keySet()) {
            assertEquals(a.weights().get(name), b.weights().get(name), name);
            assertEquals(a.ema().get(name), b.ema().get(name), name);
        }
    }
}
