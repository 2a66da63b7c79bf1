package org.diffusionplayground.app.export;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javax.imageio.ImageIO;
import org.diffusionplayground.app.AtomicWrite;
import org.diffusionplayground.app.Jobs;

/**
 * Writes what the class saw: PNGs of the window or a panel, and animations (an animated GIF and
 * a PNG strip of a few frames). Encoding runs as a job off the FX thread with its progress shown;
 * {@link #cancel()} stops it between two frames, and every file is written whole or not at all
 * ({@link AtomicWrite}).
 */
public final class Exporter {

    /** Frames in a PNG strip. */
    public static final int STRIP_FRAMES = 8;

    private final Jobs jobs;
    private final BiConsumer<String, Throwable> onError;
    private final ReadOnlyStringWrapper running = new ReadOnlyStringWrapper(this, "running", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper done = new ReadOnlyStringWrapper(this, "done", "");
    private AtomicBoolean cancelled = new AtomicBoolean();

    public Exporter(Jobs jobs, BiConsumer<String, Throwable> onError) {
        this.jobs = jobs;
        this.onError = onError;
    }

    /** What is being written ("Writing reverse.gif"), "" when nothing is. */
    public ReadOnlyStringProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    /** The files the last export wrote ("Wrote reverse.gif and reverse-strip.png"), "" before the first. */
    public ReadOnlyStringProperty doneProperty() { return done.getReadOnlyProperty(); }

    /** Stops the export in progress before its next frame; nothing it was writing is left behind. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Writes {@code image} (already drawn, e.g. a snapshot taken on the FX thread) as a PNG. */
    public void png(BufferedImage image, Path file) {
        run("Writing " + file.getFileName(), report -> {
            writePng(image, file);
            return "Wrote " + file;
        });
    }

    /**
     * Writes an animated GIF of {@code frames} frames to {@code gif} and a strip of
     * {@value #STRIP_FRAMES} of them beside it ({@code name-strip.png}).
     *
     * @param frame   frame k, drawn when written
     * @param strip   the strip image, drawn after the GIF
     * @param delay   hundredths of a second per frame (the last one stays 1.5 s)
     */
    public void animation(Path gif, int frames, IntFunction<BufferedImage> frame, Supplier<BufferedImage> strip, int delay) {
        Path stripFile = stripOf(gif);
        run("Writing " + gif.getFileName(), report -> {
            AtomicBoolean stop = cancelled;
            AtomicWrite.to(gif, out -> Gif.write(out, frames, frame, k -> k == frames - 1 ? 150 : delay, k -> {
                if (stop.get()) throw new CancellationException();
                report.accept(k / (frames + 1.0));
            }));
            if (stop.get()) throw new CancellationException();
            writePng(strip.get(), stripFile);
            return "Wrote " + gif + " and " + stripFile.getFileName();
        });
    }

    /** {@code run.gif} → {@code run-strip.png} in the same folder. */
    public static Path stripOf(Path gif) {
        String name = gif.getFileName().toString().replaceFirst("(?i)\\.gif$", "");
        return gif.resolveSibling(name + "-strip.png");
    }

    private interface Work {
        String write(java.util.function.DoubleConsumer report) throws IOException;
    }

    private void run(String title, Work work) {
        cancelled.set(true); // one export at a time: a new one replaces the one in progress
        AtomicBoolean token = new AtomicBoolean();
        cancelled = token;
        running.set(title);
        progress.set(0);
        jobs.run(title, report -> {
            try {
                return work.write(report);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        }, fraction -> {
            if (!token.get()) progress.set(fraction);
        }, message -> {
            if (cancelled == token) running.set("");
            progress.set(1);
            done.set(message);
        }, e -> {
            if (cancelled == token) running.set("");
            if (e instanceof CancellationException || (e.getCause() instanceof CancellationException)) done.set(title + ": cancelled, nothing written");
            else onError.accept(title, e);
        });
    }

    private static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicWrite.to(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("this Java runtime has no PNG writer");
        });
    }
}
