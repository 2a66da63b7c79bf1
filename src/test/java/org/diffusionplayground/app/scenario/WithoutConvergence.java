package org.diffusionplayground.app.scenario;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.diffusionplayground.app.Jobs;

/**
 * Runs every job at once on the caller's thread except the lab's convergence sweep (minutes of
 * work that no scenario test looks at), which is left waiting forever.
 */
final class WithoutConvergence implements Jobs {

    private final Jobs jobs;

    WithoutConvergence(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public <T> Job run(String title, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
        if (title.startsWith("Convergence")) {
            return new Job() {
                @Override public void cancel() { }

                @Override public boolean isCancelled() { return false; }
            };
        }
        return jobs.run(title, work, onSuccess, onFailure);
    }
}
