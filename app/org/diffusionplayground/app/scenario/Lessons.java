package org.diffusionplayground.app.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.diffusionplayground.app.AppModel;

/**
 * The lessons shipped in {@code assets/lessons/}: each a scenario with a title and a note, listed
 * in order in {@code index.txt} (a jar cannot list a folder).
 */
public final class Lessons {

    static final String FOLDER = "/assets/lessons/";

    /** A shipped lesson: its file in {@code assets/lessons/} and its title. */
    public record Entry(String file, String title) {
    }

    private Lessons() {
    }

    /** The shipped lessons, in the order of {@code index.txt}. */
    public static List<Entry> shipped() {
        List<Entry> list = new ArrayList<>();
        for (String line : text("index.txt").split("\n")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) continue;
            list.add(new Entry(file, ScenarioJson.title(text(file), file)));
        }
        return list;
    }

    /** Opens the lesson: its scenario over what the app shows, its note above the page. */
    public static void open(AppModel app, Entry lesson) {
        try {
            Scenarios.apply(app, ScenarioJson.read(text(lesson.file()), Scenarios.capture(app).withLesson(null), null));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            app.reportError("Opening the lesson " + lesson.file(), e);
        }
    }

    static String text(String file) {
        try (InputStream in = Lessons.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IOException(FOLDER + file + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
