package org.diffusionplayground.app.scenario;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.diffusionplayground.model.sampling.ClassChoice;

/**
 * One JSON object of a scenario read field by field; every failure names the field by its path
 * ("reverse.steps: 5000 is outside 1–1000") so a teacher can fix the file by hand. A missing
 * field keeps the page's current value ({@code fallback}).
 */
final class Fields {

    private final JsonObject json;
    private final String path;

    Fields(JsonObject json, String path) {
        this.json = json;
        this.path = path;
    }

    boolean has(String key) { return json.has(key) && !json.get(key).isJsonNull(); }

    /** The nested object {@code key}, or null when absent. */
    Fields section(String key) {
        if (!has(key)) return null;
        JsonElement e = json.get(key);
        if (!e.isJsonObject()) throw bad(key, "expected an object { … }, found " + e);
        return new Fields(e.getAsJsonObject(), name(key));
    }

    boolean isText(String key) {
        return has(key) && json.get(key).isJsonPrimitive() && json.get(key).getAsJsonPrimitive().isString();
    }

    String text(String key, String fallback) {
        if (!has(key)) return fallback;
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw bad(key, "expected text in quotes, found " + e);
        return e.getAsString();
    }

    int integer(String key, int fallback, int lo, int hi) {
        if (!has(key)) return fallback;
        double v = number(key);
        if (v != Math.rint(v)) throw bad(key, "expected a whole number, found " + json.get(key));
        if (v < lo || v > hi) throw bad(key, "%s is outside %d–%d".formatted(json.get(key), lo, hi));
        return (int) v;
    }

    long longInteger(String key, long fallback) {
        if (!has(key)) return fallback;
        JsonElement e = json.get(key);
        try {
            return e.getAsJsonPrimitive().isString() ? Long.parseLong(e.getAsString()) : e.getAsBigDecimal().longValueExact();
        } catch (RuntimeException ex) {
            throw bad(key, "expected a whole number, found " + e);
        }
    }

    double decimal(String key, double fallback, double lo, double hi) {
        if (!has(key)) return fallback;
        double v = number(key);
        if (v < lo || v > hi) throw bad(key, "%s is outside %s–%s".formatted(json.get(key), plain(lo), plain(hi)));
        return v;
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw bad(key, "expected true or false, found " + e);
        return e.getAsBoolean();
    }

    /** One of {@code values}, written as {@code name} gives (case ignored). */
    <E extends Enum<E>> E choice(String key, E fallback, E[] values, Function<E, String> name) {
        if (!has(key)) return fallback;
        String given = text(key, null).trim();
        for (E v : values) if (name.apply(v).equalsIgnoreCase(given)) return v;
        throw bad(key, "\"%s\" is not one of %s".formatted(given,
                Arrays.stream(values).map(name).collect(Collectors.joining(", "))));
    }

    /** The array {@code key} of text entries (null entries allowed), exactly {@code size} of them unless it is negative; null when absent. */
    String[] texts(String key, int size) {
        if (!has(key)) return null;
        JsonElement e = json.get(key);
        if (!e.isJsonArray() || (size >= 0 && e.getAsJsonArray().size() != size)) {
            throw bad(key, "expected a list [ … ]%s, found %s".formatted(size >= 0 ? " of %d entries".formatted(size) : "", e));
        }
        String[] out = new String[e.getAsJsonArray().size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = e.getAsJsonArray().get(i);
            if (item.isJsonNull()) continue;
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) throw bad(key, "entry %d: expected text in quotes, found %s".formatted(i + 1, item));
            out[i] = item.getAsString();
        }
        return out;
    }

    /** A class choice: "each" (every class in turn), "none" (unconditional) or a class 0…9. */
    int classChoice(String key, int fallback) {
        if (!has(key)) return fallback;
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            String given = e.getAsString().trim();
            if (given.equalsIgnoreCase("each")) return ClassChoice.EACH;
            if (given.equalsIgnoreCase("none")) return ClassChoice.NONE;
            throw bad(key, "\"%s\" is not \"each\", \"none\" or a class 0–9".formatted(given));
        }
        return integer(key, fallback, 0, 9);
    }

    /** {@code choice} as {@link #classChoice} reads it. */
    static JsonElement classJson(int choice) {
        return choice == ClassChoice.EACH ? new JsonPrimitive("each")
                : choice == ClassChoice.NONE ? new JsonPrimitive("none") : new JsonPrimitive(choice);
    }

    IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException(name(key) + ": " + why);
    }

    private double number(String key) {
        JsonElement e = json.get(key);
        if (e instanceof JsonPrimitive p && p.isNumber()) return p.getAsDouble();
        throw bad(key, "expected a number, found " + e);
    }

    private String name(String key) { return path.isEmpty() ? key : path + "." + key; }

    /** An enum constant as a scenario writes it: its name in lower case. */
    static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }

    static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
