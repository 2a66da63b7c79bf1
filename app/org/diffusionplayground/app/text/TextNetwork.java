package org.diffusionplayground.app.text;

import java.util.Objects;
import org.diffusionplayground.model.sampling.tokens.TokenModel;

/**
 * A text model the page samples: its name, the network behind {@link TokenModel}, and the
 * longest sequence it reads (its context).
 */
public record TextNetwork(String name, TokenModel model, int context) {

    public TextNetwork {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (context < 1) throw new IllegalArgumentException("context (%d) must be ≥ 1".formatted(context));
    }

    public boolean absorbing() { return model.absorbing(); }
}
