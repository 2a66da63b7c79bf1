package org.diffusionplayground.model.train;

import java.nio.file.Path;

/** Hears from a {@link Trainer}, on the training thread: keep the work short. */
public interface TrainListener {

    void onStep(TrainStep step);

    /** A checkpoint was written (atomically) to {@code file}. */
    default void onCheckpoint(int step, Path file) {
    }
}
