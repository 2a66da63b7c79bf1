package org.diffusionplayground.model.train;

import java.nio.file.Path;

/**
 * How a training run ended.
 *
 * @param checkpoint the newest good checkpoint (null if none was written)
 * @param message    a human-readable account, e.g. why a run diverged
 */
public record TrainOutcome(Status status, int step, Path checkpoint, String message) {

    public enum Status { COMPLETED, STOPPED, DIVERGED }
}
