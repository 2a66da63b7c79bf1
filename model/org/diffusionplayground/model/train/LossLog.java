package org.diffusionplayground.model.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends every step to a CSV file ({@code step,loss,lr,images_per_sec,unix_ms}), flushed at each
 * checkpoint. Opening it for a run resumed at step n first drops the rows after n, which the
 * interrupted run wrote past its last checkpoint, so the file always reads as one loss curve.
 */
public final class LossLog implements TrainListener, AutoCloseable {

    static final String HEADER = "step,loss,lr,images_per_sec,unix_ms";
    private final BufferedWriter out;

    public LossLog(Path file, int resumedAt) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(HEADER);
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int comma = line.indexOf(',');
                if (comma <= 0 || line.startsWith("step")) continue;
                try {
                    if (Integer.parseInt(line.substring(0, comma)) <= resumedAt) keep.add(line);
                } catch (NumberFormatException ignored) {
                    // a torn last line of a killed run
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, keep, StandardCharsets.UTF_8);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public void onStep(TrainStep s) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%.6f,%.3e,%.2f,%d%n", s.step(), s.loss(), s.learningRate(),
                    s.imagesPerSec(), System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onCheckpoint(int step, Path file) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
