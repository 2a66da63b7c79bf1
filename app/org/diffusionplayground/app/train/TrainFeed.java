package org.diffusionplayground.app.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.diffusionplayground.model.train.TrainListener;
import org.diffusionplayground.model.train.TrainStep;

/**
 * Carries a Trainer's reports from the training thread to the UI thread without holding up
 * either: the training thread only queues the record and, if no delivery is pending, posts one;
 * the UI thread then takes everything queued in one batch. So however fast steps come, the UI
 * sees at most one batch per pulse, and the training thread never waits for it.
 */
final class TrainFeed implements TrainListener {

    /** A checkpoint the Trainer wrote. */
    record Saved(int step, Path file) {
    }

    /** What arrived since the previous delivery, oldest first. */
    record Batch(List<TrainStep> steps, List<Saved> checkpoints) {
        boolean isEmpty() { return steps.isEmpty() && checkpoints.isEmpty(); }
    }

    private final Executor ui;
    private final Consumer<Batch> sink;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean posted = new AtomicBoolean();

    /**
     * @param ui   runs a task on the UI thread ({@code Platform::runLater})
     * @param sink receives the batches, on the UI thread
     */
    TrainFeed(Executor ui, Consumer<Batch> sink) {
        this.ui = ui;
        this.sink = sink;
    }

    @Override
    public void onStep(TrainStep step) {
        queue.add(step);
        post();
    }

    @Override
    public void onCheckpoint(int step, Path file) {
        queue.add(new Saved(step, file));
        post();
    }

    private void post() {
        if (posted.compareAndSet(false, true)) ui.execute(this::deliver);
    }

    /** Hands over what is queued; on the UI thread. Also called once more when the run ends. */
    void deliver() {
        posted.set(false);
        List<TrainStep> steps = new ArrayList<>();
        List<Saved> saved = new ArrayList<>();
        for (Object o; (o = queue.poll()) != null; ) {
            if (o instanceof TrainStep s) steps.add(s);
            else saved.add((Saved) o);
        }
        Batch batch = new Batch(steps, saved);
        if (!batch.isEmpty()) sink.accept(batch);
    }
}
