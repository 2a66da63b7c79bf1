package org.diffusionplayground.app.scenario;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionplayground.app.Page;

/**
 * A {@link Scenario} as small, human-readable JSON (Gson, already used for checkpoint headers):
 * <pre>
 * { "format": "diffusion-playground-scenario", "version": 1, "page": "reverse", "model": "shipped",
 *   "title": "…", "note": "…", "forward": {…}, "reverse": {…}, "compare": {…}, "schedules": {…}, "lab": {…},
 *   "text": {…} }
 * </pre>
 * Reading checks every field before anything is applied, and a failure names the field and what
 * was wrong; a field or section left out keeps what the app shows now.
 */
public final class ScenarioJson {

    private ScenarioJson() {
    }

    public static String write(Scenario s) {
        JsonObject o = new JsonObject();
        o.addProperty("format", Scenario.FORMAT);
        o.addProperty("version", Scenario.VERSION);
        o.addProperty("page", pageName(s.page()));
        if (s.lesson() != null) {
            o.addProperty("title", s.lesson().title());
            o.addProperty("note", s.lesson().note());
        }
        o.addProperty("model", s.model());
        if (s.forward() != null) o.add("forward", s.forward().json());
        if (s.reverse() != null) o.add("reverse", s.reverse().json());
        if (s.compare() != null) o.add("compare", s.compare().json());
        if (s.schedules() != null) o.add("schedules", s.schedules().json());
        if (s.lab() != null) o.add("lab", s.lab().json());
        if (s.text() != null) o.add("text", s.text().json());
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /**
     * @param now  the app's state, which fills in whatever the file leaves out
     * @param base the folder a relative model path is resolved against (the scenario's own), or null
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    public static Scenario read(String text, Scenario now, Path base) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalArgumentException("not valid JSON: " + why.replaceAll("\\s*See https?://\\S+", ""), e);
        }
        if (!root.isJsonObject()) throw new IllegalArgumentException("not a scenario: expected an object { … } at the top, found " + root);
        Fields f = new Fields(root.getAsJsonObject(), "");
        if (!Scenario.FORMAT.equals(f.text("format", null))) {
            throw new IllegalArgumentException("not a Diffusion Playground scenario: \"format\" should be \"%s\"".formatted(Scenario.FORMAT));
        }
        int version = f.integer("version", -1, 1, Integer.MAX_VALUE);
        if (version < 0) throw f.bad("version", "missing");
        if (version > Scenario.VERSION) {
            throw new IllegalArgumentException(("written by a newer Diffusion Playground: scenario version %d, this app reads up to version %d;"
                    + " open it with a newer app").formatted(version, Scenario.VERSION));
        }
        Page page = f.choice("page", now.page(), Page.values(), ScenarioJson::pageName);
        String title = f.text("title", null), note = f.text("note", null);
        Lesson lesson = title == null && note == null ? null : new Lesson(title == null ? "" : title, note == null ? "" : note);
        return new Scenario(page, lesson, model(f, now.model(), base),
                section(f, "forward", now.forward(), ForwardSection::read), section(f, "reverse", now.reverse(), ReverseSection::read),
                section(f, "compare", now.compare(), CompareSection::read), section(f, "schedules", now.schedules(), SchedulesSection::read),
                section(f, "lab", now.lab(), LabSection::read), section(f, "text", now.text(), TextSection::read));
    }

    /** The scenario's "title", or {@code fallback} when it has none or is not valid JSON. */
    static String title(String text, String fallback) {
        try {
            JsonElement root = JsonParser.parseString(text);
            return root.isJsonObject() ? new Fields(root.getAsJsonObject(), "").text("title", fallback) : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** "shipped", "shipped-flow", or a run folder or file that exists (relative paths against {@code base}), made absolute. */
    private static String model(Fields f, String now, Path base) {
        String given = f.text("model", now);
        if (given == null || given.equals(Scenario.SHIPPED)) return Scenario.SHIPPED;
        if (given.equals(Scenario.SHIPPED_FLOW)) return Scenario.SHIPPED_FLOW;
        Path path;
        try {
            path = Path.of(given);
        } catch (java.nio.file.InvalidPathException e) {
            throw f.bad("model", "\"%s\" is not a file name".formatted(given));
        }
        if (!path.isAbsolute() && base != null) path = base.resolve(path);
        if (!Files.exists(path)) {
            throw f.bad("model", "%s does not exist (a run folder or a .dpck file; \"shipped\" for the shipped model, \"shipped-flow\" for the shipped flow model)".formatted(path));
        }
        return path.toAbsolutePath().normalize().toString();
    }

    private interface SectionReader<T> {
        T read(Fields f, T now);
    }

    private static <T> T section(Fields f, String key, T now, SectionReader<T> reader) {
        Fields s = f.section(key);
        return s == null ? now : reader.read(s, now);
    }

    static String pageName(Page p) { return Fields.lower(p); }
}
