package org.diffusionplayground.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A character-level text corpus for discrete diffusion: the text, its vocabulary — the sorted
 * distinct characters, then one extra id, the mask token [M] of absorbing-state diffusion (MDLM;
 * Sahoo et al. 2024, "Simple and effective masked diffusion language models", §3) — and the split
 * into a training part (the first {@value #TRAIN_SHARE_PERCENT} %) and a validation part (the rest),
 * as nanoGPT's shakespeare_char prepares it. Tiny Shakespeare gives 65 characters, so ids 0…64 are
 * characters and id 65 is [M].
 *
 * <p>Text is held as one {@code byte[]} of ids per split, so a batch of windows is a few array
 * copies. Every random draw comes from the caller's seeded source.
 */
public final class TextCorpus {

    /** Classpath location of the shipped corpus (see assets/README.md for its provenance). */
    public static final String BUNDLED_SHAKESPEARE = "/assets/data/tinyshakespeare.txt";
    /** Tiny Shakespeare's V, for callers that need it before the corpus is read (a test checks it against the file). */
    public static final int SHAKESPEARE_CHARACTERS = 65;
    static final int TRAIN_SHARE_PERCENT = 90;
    /** A byte holds the ids: at most 127 characters plus the mask. */
    static final int MAX_CHARACTERS = 127;

    private final String name;
    private final char[] characters; // id → character, sorted
    private final byte[] train, validation; // ids

    private TextCorpus(String name, String text, String source) throws IOException {
        if (text.isEmpty()) throw new IOException(source + " is empty: no text to train on");
        TreeSet<Character> distinct = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) distinct.add(text.charAt(i));
        if (distinct.size() > MAX_CHARACTERS) throw new IOException("%s has %d distinct characters; at most %d are supported"
                .formatted(source, distinct.size(), MAX_CHARACTERS));
        this.name = name;
        this.characters = new char[distinct.size()];
        int k = 0;
        for (char c : distinct) characters[k++] = c;
        byte[] ids = encodeChecked(text);
        int cut = (int) ((long) ids.length * TRAIN_SHARE_PERCENT / 100);
        this.train = Arrays.copyOfRange(ids, 0, cut);
        this.validation = Arrays.copyOfRange(ids, cut, ids.length);
    }

    /** A corpus of {@code text} (its own vocabulary); {@code name} for messages. */
    public static TextCorpus of(String name, String text) throws IOException {
        return new TextCorpus(name, text, name);
    }

    /** Tiny Shakespeare, shipped in the jar. */
    public static TextCorpus shakespeare() throws IOException {
        try (InputStream in = TextCorpus.class.getResourceAsStream(BUNDLED_SHAKESPEARE)) {
            if (in == null) throw new IOException(BUNDLED_SHAKESPEARE + " is missing from the class path (is assets/ packaged?)");
            return new TextCorpus("tiny Shakespeare", new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED_SHAKESPEARE);
        }
    }

    /** A UTF-8 text file. */
    public static TextCorpus fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no text file " + file);
        return new TextCorpus(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public String name() { return name; }

    /** The number of real characters V; ids are 0…V−1, and {@link #maskId()} = V. */
    public int vocabularySize() { return characters.length; }

    /** The id of the mask token [M]: one past the last character. */
    public int maskId() { return characters.length; }

    public int trainLength() { return train.length; }

    public int validationLength() { return validation.length; }

    /** The ids of {@code text}; a character outside the vocabulary is an IllegalArgumentException naming it. */
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = id(text.charAt(i), i);
        return ids;
    }

    /** The text of {@code ids}; the mask token reads as {@code maskChar}. */
    public String decode(int[] ids, char maskChar) {
        StringBuilder s = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id == maskId()) s.append(maskChar);
            else if (id >= 0 && id < characters.length) s.append(characters[id]);
            else throw new IllegalArgumentException("id %d at position %d is outside [0, %d]".formatted(id, i, maskId()));
        }
        return s.toString();
    }

    /** The text of {@code ids}, masks shown as '_'. */
    public String decode(int[] ids) {
        return decode(ids, '_');
    }

    /** The character of id {@code id} (not the mask). */
    public char character(int id) {
        if (id < 0 || id >= characters.length) throw new IllegalArgumentException(
                "id %d is not a character (ids 0…%d)".formatted(id, characters.length - 1));
        return characters[id];
    }

    /**
     * Copies the training window starting at {@code start} (length {@code length}) into {@code dst}
     * at {@code offset}, as ids.
     */
    public void trainWindow(int start, int length, int[] dst, int offset) {
        window(train, "training", start, length, dst, offset);
    }

    /** As {@link #trainWindow} on the validation split. */
    public void validationWindow(int start, int length, int[] dst, int offset) {
        window(validation, "validation", start, length, dst, offset);
    }

    /** Start positions a window of {@code length} can have in the training split: [0, count). */
    public int trainStarts(int length) {
        return starts(train, "training", length);
    }

    /** Start positions a window of {@code length} can have in the validation split: [0, count). */
    public int validationStarts(int length) {
        return starts(validation, "validation", length);
    }

    private static int starts(byte[] split, String which, int length) {
        if (length < 1 || length > split.length) throw new IllegalArgumentException(
                "a window of %d characters does not fit the %s split (%d characters)".formatted(length, which, split.length));
        return split.length - length + 1;
    }

    private static void window(byte[] split, String which, int start, int length, int[] dst, int offset) {
        if (start < 0 || start >= starts(split, which, length)) throw new IllegalArgumentException(
                "window [%d, %d) is outside the %s split (%d characters)".formatted(start, start + length, which, split.length));
        for (int i = 0; i < length; i++) dst[offset + i] = split[start + i];
    }

    private byte[] encodeChecked(String text) {
        byte[] ids = new byte[text.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = (byte) id(text.charAt(i), i);
        return ids;
    }

    private int id(char c, int position) {
        int id = Arrays.binarySearch(characters, c);
        if (id < 0) throw new IllegalArgumentException("character %s at position %d is not in the vocabulary of %s"
                .formatted(describe(c), position, name == null ? "this corpus" : name));
        return id;
    }

    private static String describe(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) ? "U+%04X".formatted((int) c) : "'%c' (U+%04X)".formatted(c, (int) c);
    }
}
