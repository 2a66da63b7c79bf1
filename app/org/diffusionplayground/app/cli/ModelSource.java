package org.diffusionplayground.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.diffusionplayground.model.toy.ToyDataset;
import org.diffusionplayground.model.sampling.Denoiser;
import org.diffusionplayground.model.schedule.PathFamily;
import org.diffusionplayground.model.schedule.ScheduleKind;
import org.diffusionplayground.model.checkpoint.CheckpointException;
import org.diffusionplayground.model.checkpoint.ModelLoader;

/**
 * What {@code --model} names, parsed once: {@code oracle:<dataset>} (the exact denoiser of a 2-D
 * toy dataset), a trained network (a run folder, a {@code .dpck} file or a pretrained name), or a
 * denoiser handed over in code. The commands only call {@link #open}.
 *
 * <p>Exit codes: a model that cannot be found or used (missing, truncated, corrupt, mismatched
 * weights) is a bad argument, exit 2, with one line naming the file and what is wrong; only an
 * I/O failure while reading an otherwise valid file (permissions, disk) is exit 1.
 */
sealed interface ModelSource permits ModelSource.Oracle, ModelSource.Network, ModelSource.Given {

    /**
     * The denoiser, under {@code schedule} (null: the model's own / default). A source whose
     * schedule is fixed (a trained network) rejects a different one.
     */
    Denoiser open(ScheduleKind schedule);

    /** The shape of one sample: [2] for the toy datasets, [1, 28, 28] for MNIST images. */
    long[] sampleShape();

    /** Whether samples are images (written as PNG or NPY) rather than points (CSV or NPY). */
    default boolean isImage() {
        return sampleShape().length == 3;
    }

    /** Whether its arrays are so small that ND4J runs faster on one thread (see {@code Threads}). */
    boolean singleThreaded();

    /** Parses {@code --model}; the message of a bad value lists what is valid. */
    static ModelSource parse(String value) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon).toLowerCase(Locale.ROOT);
        if (kind.equals("oracle")) {
            try {
                if (colon < 0) throw new IllegalArgumentException();
                return new Oracle(ToyDataset.parse(v.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model ('%s') must be oracle:<dataset> with dataset one of %s"
                        .formatted(value, ToyDataset.names()));
            }
        }
        Optional<Path> file;
        try {
            file = ModelLoader.resolve(v);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException("--model ('%s'): %s".formatted(value, e.getMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("--model ('%s'): %s".formatted(value, e.getMessage()), e);
        }
        if (file.isEmpty()) {
            throw new IllegalArgumentException("--model ('%s') must be %s; %s".formatted(value, validForms(), ModelLoader.searched(v)));
        }
        return new Network(value, file.get());
    }

    /** The valid forms, for messages and help. */
    static String validForms() {
        return "oracle:<dataset> (dataset one of " + ToyDataset.names() + "), a run folder, a .dpck file, "
                + "or a pretrained model name (pretrained/<name>.dpck)";
    }

    /** The exact denoiser of a toy dataset's Gaussian mixture. */
    record Oracle(ToyDataset dataset) implements ModelSource {
        ScheduleKind defaultSchedule() { return ScheduleKind.DDPM; }

        @Override public Denoiser open(ScheduleKind schedule) {
            return open(schedule, PathFamily.DIFFUSION);
        }

        /** Diffusion: the exact ε on {@code schedule}; flow: the exact velocity on the linear interpolant. */
        Denoiser open(ScheduleKind schedule, PathFamily family) {
            if (family == PathFamily.FLOW && schedule != null) throw new IllegalArgumentException(
                    "--schedule applies to --process diffusion; a flow runs on the linear interpolant x_t = (1 - t)·x0 + t·ε");
            return dataset.mixture().oracle(family.path(schedule == null ? defaultSchedule() : schedule),
                    family.parameterization());
        }

        @Override public long[] sampleShape() { return new long[] {2}; }

        @Override public boolean singleThreaded() { return true; }
    }

    /**
     * A trained U-Net from a checkpoint or model file (EMA weights), loaded on {@link #open}.
     *
     * @param name as the user wrote it, for messages
     * @param file the file it resolved to (see {@link ModelLoader#resolve})
     */
    record Network(String name, Path file) implements ModelSource {
        @Override public Denoiser open(ScheduleKind schedule) {
            if (schedule != null) {
                throw new IllegalArgumentException("--schedule: a trained network samples under the schedule it was "
                        + "trained with; leave --schedule out for --model '%s'".formatted(name));
            }
            return load().denoiser();
        }

        /** The checkpoint, whatever network it holds; a corrupt file is a bad --model. */
        ModelLoader.Loaded load() {
            try {
                return ModelLoader.load(file);
            } catch (CheckpointException e) {
                throw new IllegalArgumentException("--model ('%s'): %s".formatted(name, e.getMessage()), e);
            } catch (IOException e) {
                throw new UncheckedIOException("--model ('%s'): cannot read %s: %s".formatted(name, file, e.getMessage()), e);
            }
        }

        @Override public long[] sampleShape() { return new long[] {1, 28, 28}; }

        /**
         * One OpenMP thread, as the app's Reverse page: two threads win ~1.6× at batch 16 on an idle
         * 2-core machine but lose ~25× (every op ~30 ms) when another process holds a core.
         */
        @Override public boolean singleThreaded() { return true; }
    }

    /** A denoiser built in code (tests, the app), with the shape of one sample. */
    record Given(String name, Denoiser denoiser, long[] sampleShape, boolean singleThreaded) implements ModelSource {
        public Given {
            sampleShape = sampleShape.clone();
            if (sampleShape.length != 1 && sampleShape.length != 3) {
                throw new IllegalArgumentException("sampleShape %s must be [d] or [c, h, w]".formatted(Arrays.toString(sampleShape)));
            }
        }

        @Override public Denoiser open(ScheduleKind schedule) {
            if (schedule != null) throw new IllegalArgumentException("--schedule: model '%s' has a fixed schedule".formatted(name));
            return denoiser;
        }

        @Override public long[] sampleShape() { return sampleShape.clone(); }
    }
}
