package org.diffusionplayground.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs every job at once on the caller's thread (JabRef's CurrentThreadTaskExecutor), recording titles. */
public final class DirectJobs implements Jobs {

    public final List<String> titles = new ArrayList<>();

    @Override
    public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess,
                       Consumer<? super Throwable> onFailure) {
        titles.add(title);
        T value;
        try {
            value = work.call();
        } catch (Throwable e) {
            onFailure.accept(e);
            return done();
        }
        onSuccess.accept(value);
        return done();
    }

    private static Job done() {
        return new Job() {
            @Override public void cancel() { }

            @Override public boolean isCancelled() { return false; }
        };
    }
}
