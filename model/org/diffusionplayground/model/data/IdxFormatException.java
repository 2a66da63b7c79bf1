package org.diffusionplayground.model.data;

import java.io.IOException;

/** An IDX file that is not what it should be; the message names the file and what was wrong. */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public IdxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
