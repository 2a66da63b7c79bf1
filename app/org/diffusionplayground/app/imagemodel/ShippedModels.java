package org.diffusionplayground.app.imagemodel;

import org.diffusionplayground.model.checkpoint.ModelLoader;
import org.diffusionplayground.model.checkpoint.Pretrained;
import org.diffusionplayground.model.schedule.PathFamily;

/**
 * The two shipped image models, one per family — {@value ModelLoader#DEFAULT_PRETRAINED} (diffusion)
 * and {@value ModelLoader#FLOW_PRETRAINED} (flow matching) — and what the app says where the flow
 * model is not there yet: the run that makes it (README, "The MNIST flow model").
 */
public final class ShippedModels {

    /** The README's training run of the flow model, as one line. */
    public static final String FLOW_TRAIN_COMMAND = "java -Xmx1g -jar target/diffusion-playground.jar train --dataset mnist"
            + " --model small --objective flow --steps 8000 --batch 64 --checkpoint-every 200 --seed 42 --out runs/mnist-flow";

    private ShippedModels() {
    }

    /** The pretrained name of a family's shipped model. */
    public static String name(PathFamily family) {
        return family == PathFamily.FLOW ? ModelLoader.FLOW_PRETRAINED : ModelLoader.DEFAULT_PRETRAINED;
    }

    /** Its file name in pretrained/. */
    public static String fileName(PathFamily family) {
        return name(family) + ModelLoader.EXTENSION;
    }

    /** As the model picker and the model line show it: "mnist-flow (shipped flow model)". */
    public static String label(PathFamily family) {
        return name(family) + (family == PathFamily.FLOW ? " (shipped flow model)" : " (shipped)");
    }

    /** Whether pretrained/ (or the jar) holds the family's shipped model. */
    public static boolean present(PathFamily family) {
        return Pretrained.locate(fileName(family)).isPresent();
    }

    /** Where the flow model comes from, for a page that needs it and a picker that cannot offer it. */
    public static String flowMissing() {
        String file = fileName(PathFamily.FLOW);
        return ("The flow model pretrained/%s is not here yet (%s). It comes from the README's flow-matching run (\"The MNIST "
                + "flow model\": train --dataset mnist --model small --objective flow … --out runs/mnist-flow, CPU hours), whose "
                + "runs/mnist-flow/model.dpck is copied to pretrained/%s. Until then, open that run's folder (or a "
                + "ckpt-NNNNNNN.dpck of it) with the Reverse page's model picker: it takes the current model's side.")
                .formatted(file, "not found in " + Pretrained.searched(file), file);
    }
}
