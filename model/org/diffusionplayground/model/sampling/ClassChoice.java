package org.diffusionplayground.model.sampling;

import java.util.Arrays;

/**
 * Which class each sample of a run asks for: one class k for all, {@link #EACH} (sample i asks
 * for class i mod K, so a grid shows every class in turn) or {@link #NONE} (unconditional).
 * The CLI's {@code --class}, the Reverse and Compare pages, the training preview and the
 * benchmarks all turn their choice into labels here.
 */
public final class ClassChoice {

    /** Sample i asks for class i mod K. */
    public static final int EACH = -1;
    /** No class: the model's unconditional output (guidance does not apply). */
    public static final int NONE = -2;

    private ClassChoice() {
    }

    /**
     * The label of each of n samples for a model with {@code classes} classes, or null for
     * unconditional ({@link #NONE}, or a model without classes). A class k ≥ 0 is not checked
     * against {@code classes} here: a model's null class is a valid k, and callers word their own
     * range message.
     */
    public static int[] labels(int choice, int n, int classes) {
        if (n < 1) throw new IllegalArgumentException("n (%d) must be ≥ 1".formatted(n));
        if (choice < NONE) {
            throw new IllegalArgumentException("class choice (%d) must be a class, EACH or NONE".formatted(choice));
        }
        if (choice == NONE || classes == 0) return null;
        int[] labels = new int[n];
        if (choice == EACH) {
            for (int i = 0; i < n; i++) labels[i] = i % classes;
        } else {
            Arrays.fill(labels, choice);
        }
        return labels;
    }
}
