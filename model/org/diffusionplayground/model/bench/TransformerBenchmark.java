package org.diffusionplayground.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.diffusionplayground.model.data.TextCorpus;
import org.diffusionplayground.model.nn.transformer.Transformer;
import org.diffusionplayground.model.nn.transformer.TransformerConfig;
import org.diffusionplayground.model.objective.MaskedDiffusion;
import org.diffusionplayground.model.sampling.Noise;
import org.diffusionplayground.model.train.TrainConfig;
import org.diffusionplayground.model.runtime.OpClock;
import org.diffusionplayground.model.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times a DDiT config as the PyTorch peer ({@code assets/peer/ddit_torch.py}) does: a forward
 * pass of random masked tokens (batch built inside the timing, as the peer builds its own), and a
 * training step on Shakespeare windows through the real {@link Trainer} (batch, forward,
 * masked-diffusion bound, backward, Adam).
 */
public final class TransformerBenchmark {

    private TransformerBenchmark() {
    }

    /** The median ms of {@code reps} forward passes at batch {@code b}, after one warm-up. */
    public static double forwardMs(Transformer net, int b, int reps) {
        TransformerConfig c = net.config();
        Noise noise = new Noise(b);
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r <= reps; r++) {
            long start = System.nanoTime();
            int[] ids = new int[b * c.length()];
            for (int i = 0; i < ids.length; i++) ids[i] = noise.uniform() < 0.5 ? c.maskId() : noise.nextInt(c.vocab());
            INDArray tokens = Nd4j.createFromArray(ids).reshape(b, c.length());
            net.logits(tokens, Nd4j.valueArrayOf(new long[] {b}, 0.5f));
            OpClock.lap(OpClock.WHOLE, start);
            if (r > 0) ms.add((System.nanoTime() - start) / 1e6);
            else OpClock.reset(); // a profile (bench profile) counts the timed passes only
        }
        return PeerProcess.median(ms);
    }

    /** The median ms of {@code reps} training steps at batch {@code b} through the Trainer, after two warm-ups, on two lanes where there are two cores. */
    public static double trainStepMs(TransformerConfig config, int b, int reps) throws IOException {
        return trainStepMs(config, b, reps, true);
    }

    /** As {@link #trainStepMs(TransformerConfig, int, int)}; {@code split}: whether the batch may run on two lanes ({@link Transformer#splitBatches}). */
    public static double trainStepMs(TransformerConfig config, int b, int reps, boolean split) throws IOException {
        Path dir = Files.createTempDirectory("bench-text");
        try {
            TrainConfig train = new TrainConfig(reps + 2, b, 1e-3, 0, 0, 0.999, 0, 0, 1_000_000, 1.0, 4);
            Trainer trainer = Trainer.fresh(config, new MaskedDiffusion(config.maskingSchedule(), TextCorpus.shakespeare(), config.length()),
                    train, dir);
            trainer.network().splitBatches(split);
            List<Long> stamps = new ArrayList<>();
            trainer.addListener(s -> {
                if (!stamps.isEmpty()) OpClock.lap(OpClock.WHOLE, stamps.get(stamps.size() - 1));
                stamps.add(System.nanoTime());
                if (stamps.size() == 2) OpClock.reset(); // a profile counts the timed steps only
            });
            trainer.run();
            List<Double> ms = new ArrayList<>();
            for (int i = 2; i < stamps.size(); i++) ms.add((stamps.get(i) - stamps.get(i - 1)) / 1e6);
            return PeerProcess.median(ms);
        } finally {
            System.gc(); // the trainer's network, tapes and Adam state live off-heap until their wrappers are collected
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** The peer's "config" command for {@code c} with {@code threads} threads. */
    public static String peerConfig(TransformerConfig c, int threads) {
        return "config %d %d %d %d %d %d %d %d %d".formatted(c.vocab(), c.length(), c.width(), c.heads(), c.layers(), c.mlpRatio(),
                c.condDim(), c.timeFeatures(), threads);
    }
}
