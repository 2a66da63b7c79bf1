package org.diffusionplayground.app;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import javafx.concurrent.Task;

/** {@link Jobs} as named JavaFX tasks on the executor given (one thread: one ND4J job at a time). */
public final class TaskJobs implements Jobs {

    private final Executor executor;

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
                ProgressThrottle throttle = new ProgressThrottle();
                return work.apply(done -> { // throttled, then coalesced onto the UI thread
                    if (throttle.pass(done, System.nanoTime())) updateProgress(done, 1);
                });
            }
        };
        task.progressProperty().addListener((o, was, is) -> onProgress.accept(Math.max(0, is.doubleValue())));
        return submit(task, onSuccess, onFailure);
    }

    private <T> Job submit(Task<T> task, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        executor.execute(task);
        return new Job() {
            @Override public void cancel() { task.cancel(false); }

            @Override public boolean isCancelled() { return task.isCancelled(); }
        };
    }
}
