package org.diffusionplayground.app.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;
import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.nn.Architecture;
import org.diffusionplayground.model.nn.mlp.MlpConfig;
import org.diffusionplayground.model.objective.RectifiedFlow;
import org.diffusionplayground.model.runtime.Threads;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.LinearInterpolant;
import org.diffusionplayground.model.schedule.Parameterization;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.train.TrainConfig;
import org.diffusionplayground.model.train.TrainOutcome;
import org.diffusionplayground.model.train.Trainer;

/**
 * The lab's reflowed flow of a dataset (Liu, Gong &amp; Liu 2023, "Flow straight and fast",
 * Algorithm 1): {@value #PAIRS} noise points paired with the ends of the dataset's exact flow ODE
 * ({@link RectifiedFlow#reflow}), and the small MLP fitted to them by the same {@code Trainer} as
 * every model, {@value #STEPS} steps of 256 pairs — about half a minute on one core. The same
 * recipe as {@code ReflowTest} and {@code train --objective reflow} (shorter), so the lab shows
 * what the test measures. The run folder is temporary; the EMA weights are kept in memory.
 */
final class Reflowed {

    static final int PAIRS = 4096, STEPS = 1000, ODE_STEPS = 100;
    static final long SEED = 11;

    private Reflowed() {
    }

    /**
     * Trains it, reporting the fraction done; null when {@code cancelled} stopped it.
     */
    static Denoiser train(ToyDataset dataset, BooleanSupplier cancelled, DoubleConsumer progress) {
        Path dir = null;
        try (Threads single = Threads.limit(1)) {
            dir = Files.createTempDirectory("reflow-" + dataset.cliName());
            Denoiser exact = dataset.mixture().oracle(LinearInterpolant.defaults(), Parameterization.U);
            RectifiedFlow coupling = RectifiedFlow.reflow(exact, PAIRS, ODE_STEPS, SEED);
            TrainConfig config = new TrainConfig(STEPS, 256, 3e-3, 50, 0.0, 0.98, 0.0, 0.0, STEPS, 1.0, SEED);
            Trainer trainer = Trainer.fresh(MlpConfig.flow2d(), coupling, config, dir);
            trainer.addListener(step -> {
                progress.accept((double) step.step() / STEPS);
                if (cancelled.getAsBoolean()) trainer.stop();
            });
            TrainOutcome outcome = trainer.run();
            if (outcome.status() != TrainOutcome.Status.COMPLETED) return null;
            return ModelLoader.open(dir.toString(), Architecture.MLP).denoiser();
        } catch (IOException e) {
            throw new UncheckedIOException("training the reflowed flow: " + e.getMessage(), e);
        } finally {
            if (dir != null) delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
