package org.diffusionplayground.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.diffusionplayground.model.train.LossLog;
import org.diffusionplayground.model.train.TrainOutcome;
import org.diffusionplayground.model.train.Trainer;

/**
 * One started run: the {@link Trainer} on its own "trainer" thread writing its loss log, a
 * {@link TrainFeed} carrying its reports to the UI thread, and a JVM shutdown hook so that the
 * process ending without the window closing (SIGTERM, logout) still stops the run after its
 * current step with a checkpoint, as the {@code train} command does on Ctrl-C.
 */
final class TrainRunner {

    private final Trainer trainer;
    private final TrainFeed feed;
    private final CompletableFuture<TrainOutcome> done;

    /**
     * Starts {@code trainer}. {@code onBatch} receives its reports and {@code onEnd} its outcome
     * or failure (exactly one is non-null), both on the UI thread; {@code onEnd} runs after the
     * loss log is closed and the last reports were delivered.
     */
    TrainRunner(Trainer trainer, LossLog log, Executor ui, Consumer<TrainFeed.Batch> onBatch,
                BiConsumer<TrainOutcome, Throwable> onEnd) {
        this.trainer = trainer;
        this.feed = new TrainFeed(ui, onBatch);
        trainer.addListener(log);
        trainer.addListener(feed);
        this.done = trainer.start().whenComplete((outcome, e) -> {
            try {
                log.close();
            } catch (IOException ignored) {
                // every checkpoint flushed it; a failed close loses at most the rows after the last one
            }
        });
        Thread hook = new Thread(() -> stopAndWait(TrainModel.SHUTDOWN_WAIT), "train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        done.whenComplete((outcome, e) -> {
            removeHook(hook);
            Throwable error = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            ui.execute(() -> {
                feed.deliver();
                onEnd.accept(outcome, error);
            });
        });
    }

    Path dir() { return trainer.folder().dir(); }

    /** Steps completed. */
    int step() { return trainer.step(); }

    boolean isPaused() { return trainer.isPaused(); }

    void pause() { trainer.pause(); }

    void resume() { trainer.resume(); }

    /** Stops after the current step; the Trainer writes a checkpoint of it. */
    void stop() { trainer.stop(); }

    /** Stops and waits up to {@code wait} for the run to end (its checkpoint written, its log closed). */
    void stopAndWait(Duration wait) {
        trainer.stop();
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // exiting anyway: the last atomic checkpoint stands
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }
}
