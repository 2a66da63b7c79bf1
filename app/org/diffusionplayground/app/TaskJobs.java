package org.diffusionplayground.app;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import javafx.animation.Animation;
import javafx.animation.PauseTransition;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.util.Duration;

/** {@link Jobs} as named JavaFX tasks on the executor given (one thread: one ND4J job at a time). */
public final class TaskJobs implements Jobs {

    private final Executor executor;

    private final AtomicLong submitted = new AtomicLong();

    public TaskJobs(Executor executor) {
        this.executor = executor;
    }

    /** The app's executor: one daemon thread, so a running job never keeps the JVM alive. */
    public static ExecutorService singleThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "playground-jobs");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess,
                       Consumer<? super Throwable> onFailure) {
        Task<T> task = new Task<>() {
            {
                updateTitle(title);
            }

            @Override protected T call() throws Exception {
                return work.call();
            }
        };
        return submit(task, onSuccess, onFailure);
    }

    @Override
    public <T> Job run(String title, Function<DoubleConsumer, T> work, DoubleConsumer onProgress,
                       Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        Task<T> task = new Task<>() {
            {
                updateTitle(title);
            }

            @Override protected T call() {
                return work.apply(done -> updateProgress(done, 1)); // coalesced onto the UI thread
            }
        };
        // then throttled there: a report held back is shown when its interval ends, unless the job has ended
        ProgressThrottle throttle = new ProgressThrottle();
        PauseTransition heldBack = new PauseTransition();
        heldBack.setOnFinished(e -> {
            throttle.shown(System.nanoTime());
            onProgress.accept(Math.max(0, task.getProgress()));
        });
        task.progressProperty().addListener((o, was, is) -> {
            long now = System.nanoTime();
            if (throttle.pass(is.doubleValue(), now)) {
                heldBack.stop();
                onProgress.accept(Math.max(0, is.doubleValue()));
            } else if (heldBack.getStatus() != Animation.Status.RUNNING) {
                heldBack.setDuration(Duration.millis(Math.max(1, throttle.waitNanos(now) / 1e6)));
                heldBack.playFromStart();
            }
        });
        task.stateProperty().addListener((o, was, is) -> {
            if (is != Worker.State.RUNNING && is != Worker.State.SCHEDULED) heldBack.stop();
        });
        return submit(task, onSuccess, onFailure);
    }

    /** How many jobs have been submitted so far (a background warm-up stops once this moves). */
    public long submitted() {
        return submitted.get();
    }

    private <T> Job submit(Task<T> task, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        submitted.incrementAndGet();
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        executor.execute(task);
        return new Job() {
            @Override public void cancel() { task.cancel(false); }

            @Override public boolean isCancelled() { return task.isCancelled(); }
        };
    }
}
