package org.diffusionplayground.app;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;

/**
 * Runs long work off the UI thread, one job at a time (one ND4J job at a time; JabRef's TaskExecutor pattern). The app uses
 * {@link TaskJobs} (a named JavaFX {@code Task} on one single-thread executor); view-model tests
 * pass one that runs the work at once on the caller's thread.
 */
public interface Jobs {

    /** A submitted job; cancelling asks the work to stop at its next check. */
    interface Job {
        void cancel();

        boolean isCancelled();
    }

    /**
     * Runs {@code work} as a job called {@code title}; afterwards exactly one of
     * {@code onSuccess} or {@code onFailure} runs on the UI thread (neither if cancelled).
     */
    <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure);

    /**
     * As {@link #run}, for work that reports the fraction done (in [0, 1]) to the consumer it is
     * given; {@code onProgress} receives the reports on the UI thread. The default passes them
     * straight through, which is right for jobs run at once on the caller's thread.
     */
    default <T> Job run(String title, Function<DoubleConsumer, T> work, DoubleConsumer onProgress,
                        Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        return run(title, () -> work.apply(onProgress), onSuccess, onFailure);
    }
}
