package org.diffusionplayground.app.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.sampling.solvers.SamplerKind;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.Spacing;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * Checks of option values shared by the commands. Each failure is an IllegalArgumentException
 * whose message names the option, the value and the valid range; {@link Cli} prints it as one
 * line and exits with {@link Cli#BAD_ARGUMENT}.
 */
final class Arguments {

    private Arguments() {
    }

    static int inRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("%s (%d) must be in [%d, %d]".formatted(option, value, min, max));
        }
        return value;
    }

    static double inRange(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("%s (%s) must be in [%s, %s]".formatted(option, value, min, max));
        }
        return value;
    }

    static SamplerKind sampler(String option, String value) {
        try {
            return SamplerKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("%s ('%s') must be one of %s".formatted(option, value, samplerNames()));
        }
    }

    static String samplerNames() {
        return Arrays.stream(SamplerKind.values()).map(SamplerKind::cliName).collect(Collectors.joining(", "));
    }

    static Spacing spacing(String value) {
        try {
            return Spacing.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--spacing ('%s') must be one of %s".formatted(value,
                    Arrays.stream(Spacing.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))));
        }
    }

    static ToyDataset dataset(String value) {
        try {
            return ToyDataset.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dataset ('%s') must be one of %s".formatted(value, ToyDataset.names()));
        }
    }

    static ScheduleKind schedule(String value) {
        try {
            return ScheduleKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule ('%s') must be one of %s".formatted(value, ScheduleKind.names()));
        }
    }

    static PathFamily process(String value) {
        try {
            return PathFamily.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--process ('%s') must be diffusion or flow".formatted(value));
        }
    }

    /** A comma-separated list of integers, each in [min, max]. */
    static List<Integer> intList(String option, String value, int min, int max) {
        try {
            List<Integer> list = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
            for (int v : list) inRange(option, v, min, max);
            return list;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s ('%s') must be a comma-separated list of integers in [%d, %d]"
                    .formatted(option, value, min, max));
        }
    }
}
