package org.diffusionplayground.model.nn;

/**
 * The shape of a network, as a record with defaults (one per architecture). Stored as JSON in
 * every checkpoint under its {@link #architecture()} name, so a file rebuilds its own network
 * and a file of another architecture is refused by name, not by a shape mismatch.
 */
public interface NetworkConfig {

    /** The architecture this config describes. */
    Architecture architecture();

    /** A freshly initialised network of this config, its weights drawn from {@code seed}. */
    Network create(long seed);
}
