package org.diffusionplayground.app;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Jobs that never run and never end: the pages as laid out before their first results, the status bar busy for good. */
public final class NeverJobs implements Jobs {

    @Override
    public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        return new Job() {
            @Override public void cancel() { }

            @Override public boolean isCancelled() { return false; }
        };
    }
}
