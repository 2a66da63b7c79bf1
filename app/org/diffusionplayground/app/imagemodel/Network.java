package org.diffusionplayground.app.imagemodel;

import java.util.Locale;
import java.util.Objects;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * A denoiser the Reverse and Compare pages sample from, with what the model picker shows about it.
 *
 * @param name       as shown, e.g. "mnist-small (shipped)" or a run folder's name
 * @param denoiser   the network (EMA weights) behind the {@link Denoiser} interface
 * @param step       the training step its weights are from
 * @param parameters its number of trainable parameters
 */
public record Network(String name, Denoiser denoiser, int step, long parameters) {

    public Network {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(denoiser, "denoiser");
        if (step < 0) throw new IllegalArgumentException("step (%d) must be ≥ 0".formatted(step));
        if (parameters < 0) throw new IllegalArgumentException("parameters (%d) must be ≥ 0".formatted(parameters));
    }

    /**
     * Diffusion for a model of a noise schedule, flow for one of the linear interpolant (a
     * flow-matching model: velocity output, {@code train --objective flow}).
     */
    public PathFamily family() {
        return PathFamily.of(denoiser.schedule());
    }

    /** "mnist-small (shipped) · step 12,000 · 412,345 parameters", "… · flow matching" for a flow model. */
    public String describe() {
        return String.format(Locale.ROOT, "%s · step %,d · %,d parameters%s", name, step, parameters,
                family() == PathFamily.FLOW ? " · flow matching" : "");
    }
}
