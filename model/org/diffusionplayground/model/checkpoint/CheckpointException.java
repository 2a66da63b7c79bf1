package org.diffusionplayground.model.checkpoint;

import java.io.IOException;

/** A checkpoint file that cannot be used: truncated, corrupt, or for a different model. */
public final class CheckpointException extends IOException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
