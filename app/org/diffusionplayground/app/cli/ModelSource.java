package org.diffusionplayground.app.cli;

import java.util.Locale;
import org.diffusionplayground.model.data2d.ToyDataset;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.NoiseSchedule;
import org.diffusionplayground.model.schedule.ScheduleKind;

/**
 * What {@code --model} names, parsed once: today {@code oracle:<dataset>}, the exact denoiser of
 * a 2-D toy dataset. A new kind of model (e.g. a network checkpoint) is a new record here and a
 * new branch in {@link #parse}; the commands only call {@link #open}.
 */
sealed interface ModelSource permits ModelSource.Oracle {

    /** The schedule used when {@code --schedule} is not given. */
    ScheduleKind defaultSchedule();

    /**
     * The denoiser, under {@code schedule} (null: the model's own / default). A source whose
     * schedule is fixed (a trained network) rejects a different one.
     */
    Denoiser open(ScheduleKind schedule);

    /** Data dimensions per sample, e.g. 2 for the toy datasets. */
    int dimensions();

    /** Whether its arrays are so small that ND4J runs faster on one thread (see {@code Threads}). */
    boolean singleThreaded();

    /** Parses {@code --model}; the message of a bad value lists what is valid. */
    static ModelSource parse(String value) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon).toLowerCase(Locale.ROOT);
        if (kind.equals("oracle")) {
            if (colon < 0) throw bad(value);
            try {
                return new Oracle(ToyDataset.parse(v.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw bad(value);
            }
        }
        throw bad(value);
    }

    /** The valid forms, for messages and help. */
    static String validForms() {
        return "oracle:<dataset> with dataset one of " + ToyDataset.names();
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("--model ('%s') must be %s".formatted(value, validForms()));
    }

    /** The exact denoiser of a toy dataset's Gaussian mixture. */
    record Oracle(ToyDataset dataset) implements ModelSource {
        @Override public ScheduleKind defaultSchedule() { return ScheduleKind.DDPM; }

        @Override public Denoiser open(ScheduleKind schedule) {
            NoiseSchedule s = (schedule == null ? defaultSchedule() : schedule).create();
            return dataset.mixture().oracle(s);
        }

        @Override public int dimensions() { return 2; }

        @Override public boolean singleThreaded() { return true; }
    }
}
