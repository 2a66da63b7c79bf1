package org.diffusionplayground.app.cli;

/** Argument checks that fail with one line naming the option and its valid range (exit 2). */
final class Validate {

    private Validate() {
    }

    static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("%s (%d) must be in [%d, %d]".formatted(option, value, min, max));
        }
    }

    static void range(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("%s (%s) must be in [%s, %s]".formatted(option, value, min, max));
        }
    }
}
