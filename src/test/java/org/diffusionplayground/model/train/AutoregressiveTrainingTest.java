package org.diffusionplayground.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.model.checkpoint.Checkpoint;
import org.diffusionplayground.model.checkpoint.CheckpointFile;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.objective.Autoregressive;
import org.diffusionplayground.model.runtime.SingleThreadNd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The left-to-right baseline on the same engine: the causal DDiT trained by the same {@link Trainer}
 * on the {@link Autoregressive} objective starts at exactly ln 65 nats/char (adaLN-Zero's zero
 * logits, and an exact loss rather than a sampled bound), learns below the unigram entropy of the
 * text (≈ 3.3 nats/char) within a few hundred tiny steps, and resumes bit for bit.
 */
@ExtendWith(SingleThreadNd4j.class)
class AutoregressiveTrainingTest {

    static final TransformerConfig TINY = TransformerConfig.preset("tiny", 65).forProcess(TransformerConfig.AUTOREGRESSIVE);

    @TempDir Path dir;

    static List<Double> losses(Trainer run) throws Exception {
        List<Double> losses = new ArrayList<>();
        run.addListener(s -> losses.add(s.loss()));
        assertEquals(TrainOutcome.Status.COMPLETED, run.run().status());
        return losses;
    }

    @Test
    void startsAtLn65AndLearnsBelowTheUnigramEntropy() throws Exception {
        Autoregressive objective = new Autoregressive(TextCorpus.shakespeare(), TINY.length());
        List<Double> losses = losses(Trainer.fresh(TINY, objective, new TrainConfig(300, 16, 3e-3, 20, 0.0, 0.99, 0.0, 0.0, 300, 1.0, 3),
                dir.resolve("learn")));
        assertEquals(Math.log(65), losses.get(0), 1e-5, "zero logits: uniform over the 65 characters");
        double last = losses.subList(280, 300).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < 3.0, "mean loss of the last 20 steps %.3f nats/char".formatted(last));
    }

    @Test
    void resumesBitForBit() throws Exception {
        Autoregressive objective = new Autoregressive(TextCorpus.shakespeare(), TINY.length());
        TrainConfig config = new TrainConfig(6, 4, 3e-3, 2, 0.0, 0.99, 0.0, 0.0, 3, 1.0, 9);
        List<Double> expected = losses(Trainer.fresh(TINY, objective, config, dir.resolve("whole")));
        Checkpoint at3 = CheckpointFile.read(new RunFolder(dir.resolve("whole")).checkpointFile(3));
        assertEquals(TINY, at3.model(), "the config comes back from the file");
        assertEquals(expected.subList(3, 6), losses(Trainer.resume(at3, objective, dir.resolve("resumed"), 6)));
    }
}
